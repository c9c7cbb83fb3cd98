import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NavLinks } from "@/components/nav-links";
import { UserMenu } from "@/components/user-menu";
import { RoleProvider } from "@/components/role-context";
import { ToastHost } from "@/components/toasts/toast-host";
import { currentIdentity } from "@/app/page-actor";
import "./globals.css";

export const metadata: Metadata = {
  title: "FineMed Curation Studio",
  description: "Produce, inspect, correct and ship FineMed synthetic medical training data",
  icons: { icon: "/favicon.svg" },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // proxy.ts sends every page request without a valid session to /sign-in; only that page renders bare.
  const identity = await currentIdentity();
  return (
    <html lang="en">
      <body>
        {identity ? (
          <div className="shell">
            <aside className="sidebar">
              <div className="brand">FineMed Studio</div>
              <div className="brand-sub">medical data curation</div>
              <NavLinks role={identity.actor.role} />
              <UserMenu name={identity.actor.name} role={identity.actor.role} mustChangePassword={identity.mustChangePassword} />
            </aside>
            <main>
              <RoleProvider role={identity.actor.role}>{children}</RoleProvider>
              <ToastHost />
            </main>
          </div>
        ) : (
          <main style={{ margin: "60px auto" }}>{children}</main>
        )}
      </body>
    </html>
  );
}
