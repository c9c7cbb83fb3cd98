"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { roleAllows, type Role } from "@/lib/auth/roles";

const SECTIONS: readonly { href: string; label: string; needs?: Role }[] = [
  { href: "/corpora", label: "Corpora" },
  { href: "/runs", label: "Runs" },
  { href: "/samples", label: "Samples" },
  { href: "/analytics", label: "Analytics" },
  { href: "/map", label: "Map" },
  { href: "/datasets", label: "Datasets" },
  { href: "/training", label: "Training" },
  { href: "/audit", label: "Audit", needs: "approver" },
  { href: "/settings", label: "Settings" },
];

/** The studio's sections; those the signed-in role may not open are left out (the server refuses them anyway). */
export function NavLinks({ role }: { role: Role }) {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Studio sections">
      {SECTIONS.filter((section) => !section.needs || roleAllows(role, section.needs)).map((section) => (
        <Link key={section.href} href={section.href} aria-current={pathname.startsWith(section.href) ? "page" : undefined}>
          {section.label}
        </Link>
      ))}
    </nav>
  );
}
