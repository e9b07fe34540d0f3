// Test target for sql-injection.yaml (TypeScript).
import { PrismaClient } from "@prisma/client";
import type { Request, Response } from "express";

const prisma = new PrismaClient();

export async function search(req: Request, res: Response): Promise<void> {
  const term = req.query.term as string;
  // ruleid: bastion.javascript.sql-injection
  const rows = await prisma.$queryRawUnsafe(`SELECT * FROM products WHERE title LIKE '%${term}%'`);
  // ok: bastion.javascript.sql-injection
  const safe = await prisma.$queryRaw`SELECT * FROM products WHERE title LIKE ${"%" + term + "%"}`;
  res.json({ rows, safe });
}
