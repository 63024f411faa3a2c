/** Settings the store keeps for the process across restarts. */
export interface SettingsStore {
  /** The emulator clock's saved lead over real time in ms, or undefined when none was saved. */
  emulatorClockOffset(): Promise<number | undefined>;
  /** Saves the emulator clock's lead over real time. */
  saveEmulatorClockOffset(offsetMs: number): Promise<void>;
  /** A named setting a part of the server keeps (e.g. a merchant chat's cursor), or undefined when none was saved. */
  setting(name: string): Promise<string | undefined>;
  /** Saves a named setting, replacing the value kept. */
  saveSetting(name: string, value: string): Promise<void>;
}
