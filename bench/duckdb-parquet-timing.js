#!/usr/bin/env node
// duckdb-parquet-timing.js: how long DuckDB takes to read and to write a Parquet file, for
// bench-parquet's comparison.
//
// Usage: duckdb-parquet-timing.js FILE.parquet CODEC OUT.parquet [RUNS] [THREADS]
//
//   read:  SELECT count(*) and a sum over every column of FILE (every value decoded: timestamps
//          through epoch_us, numbers directly, anything else through length of its text)
//   load:  CREATE TABLE AS SELECT * FROM FILE: every value into an in-memory table, which is
//          what Refinery's reader makes
//   write: COPY of FILE's rows, loaded into an in-memory table first (not timed), to OUT with
//          COMPRESSION CODEC
// Each is timed RUNS times (default 3) with SET threads=THREADS (default 2); the best time is
// printed as one JSON line: {"duckdb": VERSION, "threads": N, "read_s": S, "load_s": S,
// "write_s": S}.
//
// DuckDB is the @duckdb/node-api that ../shared/tools/parquet-oracle installs into
// $PARQUET_ORACLE_CACHE (default <tmpdir>/parquet-oracle-cache): run `parquet-oracle check FILE`
// once first. Exit status 3 when it is not installed there.
'use strict';
const os = require('os');
const path = require('path');
const { createRequire } = require('module');

const CACHE = process.env.PARQUET_ORACLE_CACHE || path.join(os.tmpdir(), 'parquet-oracle-cache');

function die(msg, code) {
  process.stderr.write('duckdb-parquet-timing: ' + msg + '\n');
  process.exit(code);
}

const lit = (s) => "'" + String(s).replace(/'/g, "''") + "'";
const ident = (s) => '"' + String(s).replace(/"/g, '""') + '"';

async function best(runs, fn) {
  let t = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    t = Math.min(t, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return t;
}

async function main() {
  const [file, codec, out, runsArg, threadsArg] = process.argv.slice(2);
  if (!file || !codec || !out) die('usage: duckdb-parquet-timing.js FILE CODEC OUT [RUNS] [THREADS]', 2);
  const runs = Math.max(1, parseInt(runsArg || '3', 10));
  const threads = Math.max(1, parseInt(threadsArg || '2', 10));
  let api;
  try {
    api = createRequire(path.join(CACHE, 'package.json'))('@duckdb/node-api');
  } catch (e) {
    die(`@duckdb/node-api is not installed in ${CACHE} (run parquet-oracle check on a file first)`, 3);
  }
  const inst = await api.DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(`SET threads=${threads}`);
  const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
  const src = `read_parquet(${lit(path.resolve(file))})`;

  const cols = await rows(`DESCRIBE SELECT * FROM ${src}`);
  const sums = cols.map((c) => {
    const id = ident(c.column_name);
    if (/^TIMESTAMP/.test(c.column_type)) return `sum(epoch_us(${id}))`;
    if (/^(DOUBLE|FLOAT|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|DECIMAL)/.test(c.column_type)) return `sum(${id})`;
    return `sum(length(${id}::VARCHAR))`;
  });
  const readSql = `SELECT count(*), ${sums.join(', ')} FROM ${src}`;
  const readS = await best(runs, () => con.run(readSql));
  const loadS = await best(runs, () => con.run(`CREATE OR REPLACE TABLE loaded AS SELECT * FROM ${src}`));
  await con.run('DROP TABLE loaded');

  await con.run(`CREATE TABLE t AS SELECT * FROM ${src}`);
  const writeSql = `COPY t TO ${lit(path.resolve(out))} (FORMAT parquet, COMPRESSION ${lit(codec)})`;
  const writeS = await best(runs, () => con.run(writeSql));

  const version = (await rows('SELECT version() AS v'))[0].v;
  process.stdout.write(JSON.stringify({ duckdb: version, threads, read_s: readS, load_s: loadS, write_s: writeS }) + '\n');
}

main().catch((e) => die(String((e && e.message) || e).split('\n')[0], 1));
