import Link from "next/link";
import { signOut } from "@/auth";
import { Button } from "@/components/ui/button";
import { currentUser } from "@/lib/auth/current-user";

export async function SiteHeader() {
  const user = await currentUser();

  return (
    <header className="border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/80">
      <div className="mx-auto flex h-14 max-w-5xl items-center justify-between gap-4 px-4 sm:px-6">
        {/* No prefetch: on a room page it would compete with connecting for the server and CPU. */}
        <Link href="/" prefetch={false} className="font-semibold tracking-tight">
          MeshAgent Starter
        </Link>
        {user ? (
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden text-zinc-600 sm:inline dark:text-zinc-400">
              Signed in as{" "}
              <span data-testid="signed-in-user" className="font-medium text-zinc-900 dark:text-zinc-100">
                {user.name}
              </span>
            </span>
            <form
              action={async () => {
                "use server";
                await signOut({ redirectTo: "/" });
              }}
            >
              <Button type="submit" variant="ghost">
                Sign out
              </Button>
            </form>
          </div>
        ) : (
          <Link href="/signin" className="text-sm font-medium hover:underline">
            Sign in
          </Link>
        )}
      </div>
    </header>
  );
}
