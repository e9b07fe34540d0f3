// Test target for sql-injection.yaml: a NestJS controller with TypeORM and Prisma.
import { Body, Controller, Get, Param, Query } from "@nestjs/common";
import { DataSource } from "typeorm";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

@Controller("orders")
export class OrdersController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async list(@Query("status") status: string) {
    // ruleid: bastion.javascript.sql-injection
    return this.dataSource.query(`SELECT * FROM orders WHERE status = '${status}'`);
  }

  @Get(":id")
  async one(@Param("id") id: string) {
    // ok: bastion.javascript.sql-injection
    return this.dataSource.query("SELECT * FROM orders WHERE id = $1", [id]);
  }

  @Get("by-customer")
  async byCustomer(@Body() body: { customer: string }) {
    // ruleid: bastion.javascript.sql-injection
    await prisma.$queryRawUnsafe("SELECT * FROM orders WHERE customer = '" + body.customer + "'");
    // ok: bastion.javascript.sql-injection
    await prisma.$queryRaw`SELECT * FROM orders WHERE customer = ${body.customer}`;
    return this.dataSource
      .createQueryBuilder()
      // ruleid: bastion.javascript.sql-injection
      .where(`customer = '${body.customer}'`)
      // ok: bastion.javascript.sql-injection
      .andWhere("customer = :customer", { customer: body.customer })
      .getMany();
  }
}

// A repository class of this file builds the SQL text from its parameter.
class StockRepository {
  constructor(private readonly db: any) {}

  async lowStock(warehouse: string): Promise<unknown[]> {
    const query = 'SELECT sku FROM stock WHERE warehouse = "' + warehouse + '"';
    return this.db.all(query);
  }

  async page(number: string): Promise<unknown[]> {
    return this.db.all("SELECT sku FROM stock LIMIT 20 OFFSET " + parseInt(number, 10) * 20);
  }
}

export function stockRoutes(app: any, db: any) {
  const repository = new StockRepository(db);
  app.get("/warehouses/:warehouse/low-stock", async (req: any, res: any) => {
    // ruleid: bastion.javascript.sql-injection
    res.json(await repository.lowStock(req.params.warehouse));
    // ok: bastion.javascript.sql-injection
    res.json(await repository.lowStock("main"));
    // ok: bastion.javascript.sql-injection
    res.json(await repository.page(req.query.page));
  });
  app.get("/orders", async (req: any, res: any) => {
    // ruleid: bastion.javascript.sql-injection
    const rows = await db.query<{ id: number }>("SELECT id FROM orders WHERE status = '" + req.query.status + "'");
    res.json(rows);
  });
}
