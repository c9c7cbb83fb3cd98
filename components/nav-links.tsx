"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  { href: "/corpora", label: "Corpora" },
  { href: "/runs", label: "Runs" },
  { href: "/samples", label: "Samples" },
  { href: "/analytics", label: "Analytics" },
  { href: "/map", label: "Map" },
  { href: "/datasets", label: "Datasets" },
  { href: "/training", label: "Training" },
  { href: "/settings", label: "Settings" },
] as const;

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Studio sections">
      {SECTIONS.map((section) => (
        <Link key={section.href} href={section.href} aria-current={pathname.startsWith(section.href) ? "page" : undefined}>
          {section.label}
        </Link>
      ))}
    </nav>
  );
}
