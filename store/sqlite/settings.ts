import { eq } from "drizzle-orm";
import type { Db } from "./queries.ts";
import * as schema from "./schema.ts";

/** Settings kept in `store_settings`, one row per name. */

/** The `store_settings` row holding the emulator clock's lead over real time, in ms. */
const EMULATOR_CLOCK_OFFSET = "emulator_clock_offset_ms";

/** The emulator clock's saved lead over real time in ms, or undefined. */
export function emulatorClockOffset(db: Db): number | undefined {
  const s = schema.storeSettings;
  const value = db.select({ value: s.value }).from(s).where(eq(s.name, EMULATOR_CLOCK_OFFSET)).get()?.value;
  return value === undefined ? undefined : Number(value);
}

/** A named setting's value, or undefined. */
export function setting(db: Db, name: string): string | undefined {
  const s = schema.storeSettings;
  return db.select({ value: s.value }).from(s).where(eq(s.name, name)).get()?.value;
}

/** Saves a named setting, replacing the value kept. */
export function saveSetting(db: Db, name: string, value: string): void {
  const s = schema.storeSettings;
  db.insert(s).values({ name, value }).onConflictDoUpdate({ target: s.name, set: { value } }).run();
}

/** Saves the emulator clock's lead over real time in ms. */
export function saveEmulatorClockOffset(db: Db, offsetMs: number): void {
  const s = schema.storeSettings;
  const value = String(offsetMs);
  db.insert(s).values({ name: EMULATOR_CLOCK_OFFSET, value }).onConflictDoUpdate({ target: s.name, set: { value } }).run();
}
