import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NavLinks } from "@/components/nav-links";
import "./globals.css";

export const metadata: Metadata = {
  title: "FineMed Curation Studio",
  description: "Produce, inspect, correct and ship FineMed synthetic medical training data",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <div className="shell">
          <aside className="sidebar">
            <div className="brand">FineMed Studio</div>
            <div className="brand-sub">medical data curation</div>
            <NavLinks />
          </aside>
          <main>{children}</main>
        </div>
      </body>
    </html>
  );
}
