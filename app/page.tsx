import { redirect } from "next/navigation";
import { requirePageUser } from "@/app/_server/page-user";

export const dynamic = "force-dynamic";

export default async function Home() {
  await requirePageUser();
  redirect("/connectors");
}
