"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { roleAllows, type Role } from "@/lib/auth/roles";

// fullLoad: a plain <a>, so the page arrives as a document of its own with its own headers (the map's
// Content-Security-Policy allows the eval its WebGL library needs; a client-side navigation would keep
// the stricter policy of the page it started from).
const SECTIONS: readonly { href: string; label: string; needs?: Role; fullLoad?: true }[] = [
  { href: "/corpora", label: "Corpora" },
  { href: "/runs", label: "Runs" },
  { href: "/samples", label: "Samples" },
  { href: "/analytics", label: "Analytics" },
  { href: "/map", label: "Map", fullLoad: true },
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
      {SECTIONS.filter((section) => !section.needs || roleAllows(role, section.needs)).map((section) => {
        const current = pathname.startsWith(section.href) ? "page" : undefined;
        return section.fullLoad ? (
          <a key={section.href} href={section.href} aria-current={current}>
            {section.label}
          </a>
        ) : (
          <Link key={section.href} href={section.href} aria-current={current}>
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
