/** Settings the store keeps for the process across restarts. */
export interface SettingsStore {
  /** The emulator clock's saved lead over real time in ms, or undefined when none was saved. */
  emulatorClockOffset(): Promise<number | undefined>;
  /** Saves the emulator clock's lead over real time. */
  saveEmulatorClockOffset(offsetMs: number): Promise<void>;
}
