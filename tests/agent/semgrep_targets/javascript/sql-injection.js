// Test target for sql-injection.yaml.
const express = require("express");
const mysql = require("mysql2");
const { Pool } = require("pg");

const app = express();
const pool = new Pool();
const connection = mysql.createConnection({ host: "db" });
const TABLE = "users";

app.get("/users", async (req, res) => {
  const name = req.query.name;
  // ruleid: bastion.javascript.sql-injection
  const result = await pool.query("SELECT * FROM users WHERE name = '" + name + "'");
  // ok: bastion.javascript.sql-injection
  const safe = await pool.query("SELECT * FROM users WHERE name = $1", [name]);
  res.json({ result: result.rows, safe: safe.rows });
});

app.get("/users/:id", (req, res) => {
  // ruleid: bastion.javascript.sql-injection
  connection.query(`SELECT * FROM users WHERE id = ${req.params.id}`, (err, rows) => res.json(rows));
  // ok: bastion.javascript.sql-injection
  connection.execute("SELECT * FROM users WHERE id = ?", [req.params.id], (err, rows) => res.json(rows));
});

async function findByEmail(db, email) {
  const sql = `SELECT id FROM accounts WHERE email = '${email}'`;
  // ruleid: bastion.javascript.sql-injection
  return db.all(sql);
}

async function sortedUsers(knex, column) {
  // ruleid: bastion.javascript.sql-injection
  return knex("users").orderByRaw("name, " + column);
}

async function byIds(db, ids) {
  const placeholders = ids.map(() => "?").join(", ");
  // ok: bastion.javascript.sql-injection
  return db.all(`SELECT * FROM users WHERE id IN (${placeholders})`, ids);
}

async function constantTable(db, id) {
  // ok: bastion.javascript.sql-injection
  return db.get(`SELECT * FROM ${TABLE} WHERE id = ?`, id);
}

async function numeric(db, limit) {
  // ok: bastion.javascript.sql-injection
  return db.all("SELECT * FROM users LIMIT " + parseInt(limit, 10));
}

function cache(map, req) {
  // ok: bastion.javascript.sql-injection
  return map.get(req.query.key);
}

function greeting(logger, name) {
  // ok: bastion.javascript.sql-injection
  logger.info("Hello " + name + ", selected from the list");
}
