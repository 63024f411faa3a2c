/** The time the engine reads. Tests and the emulator use a `ManualClock`. */
export interface Clock {
  now(): Date;
}
