import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema, type SchemaTree } from "hyparquet";
import { UserError } from "../engine/errors.ts";
import { FETCH_HINT } from "./fsdd.ts";

/** One node of a parquet schema, flattened: `audio` (a struct), `audio.bytes`, `label`, ... */
export interface ParquetColumn {
  /** Dotted path, e.g. `audio.bytes`. */
  path: string;
  /** Nesting depth, 0 for top-level columns. */
  depth: number;
  /** Physical type with its logical annotation, e.g. `BYTE_ARRAY (STRING)`, or `struct` for groups. */
  type: string;
  repetition: string;
}

/** What a parquet footer says about a file, without reading its data pages. */
export interface ParquetInfo {
  file: string;
  bytes: number;
  rows: number;
  rowGroups: number;
  createdBy?: string;
  columns: ParquetColumn[];
  /** The file's key/value metadata, e.g. `huggingface` (a JSON string). */
  keyValue: Record<string, string>;
}

function describeType(tree: SchemaTree): string {
  const el = tree.element;
  if (tree.children.length > 0 || el.type === undefined) {
    return el.converted_type === "LIST" || el.logical_type?.type === "LIST" ? "list" : "struct";
  }
  const annotation = el.logical_type?.type ?? el.converted_type;
  return annotation ? `${el.type} (${annotation})` : el.type;
}

function flatten(tree: SchemaTree, out: ParquetColumn[]): void {
  for (const child of tree.children) {
    out.push({
      path: child.path.join("."),
      depth: child.path.length - 1,
      type: describeType(child),
      repetition: child.element.repetition_type ?? "REQUIRED",
    });
    flatten(child, out);
  }
}

/**
 * Reads a parquet file's footer. A missing, empty or unreadable file becomes a UserError naming it
 * (with the `bun data:fetch` fix), never a stack trace.
 */
export async function readParquetInfo(file: string): Promise<ParquetInfo> {
  const full = resolve(file);
  if (!existsSync(full)) throw new UserError(`${file}: not found`, FETCH_HINT);
  const stat = statSync(full);
  if (stat.isDirectory()) throw new UserError(`${file}: is a directory, not a parquet file`);
  if (stat.size === 0) throw new UserError(`${file}: the file is empty`, FETCH_HINT);
  try {
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(full));
    const columns: ParquetColumn[] = [];
    flatten(parquetSchema(metadata), columns);
    const keyValue: Record<string, string> = {};
    for (const kv of metadata.key_value_metadata ?? []) keyValue[kv.key] = kv.value ?? "";
    return {
      file,
      bytes: stat.size,
      rows: Number(metadata.num_rows),
      rowGroups: metadata.row_groups.length,
      createdBy: metadata.created_by,
      columns,
      keyValue,
    };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UserError(`${file}: not a readable parquet file (${reason})`, `delete it and ${FETCH_HINT}`);
  }
}
