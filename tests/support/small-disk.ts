import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SmallDisk {
  dir: string;
  /** Makes the mounted file system read-only (or writable again), as a disk that fails would. */
  setReadOnly(readOnly: boolean): void;
  unmount(): void;
}

/**
 * A tmpfs of `sizeKb` mounted on a fresh folder (read-only if asked), for disk-full and
 * read-only tests. Needs root; returns null (and the test skips) where mounting is not allowed.
 */
export function mountSmallDisk(sizeKb: number, readOnly = false): SmallDisk | null {
  const dir = mkdtempSync(join(tmpdir(), "small-disk-"));
  const opts = `size=${sizeKb}k${readOnly ? ",ro" : ""}`;
  if (Bun.spawnSync(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir], { stderr: "ignore" }).exitCode !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    setReadOnly(readOnly) {
      if (Bun.spawnSync(["mount", "-o", `remount,${readOnly ? "ro" : "rw"}`, dir]).exitCode !== 0) throw new Error(`cannot remount ${dir}`);
    },
    unmount() {
      Bun.spawnSync(["umount", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether small disks can be mounted here (root in a container that allows it). */
export function canMountSmallDisk(): boolean {
  const d = mountSmallDisk(16);
  d?.unmount();
  return d !== null;
}
