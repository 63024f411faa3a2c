import { describe, expect, it } from "vitest";
import { CallProgress } from "./call-progress.ts";
import { ChannelSendError } from "./send-error.ts";

describe("CallProgress", () => {
  it("resumes a retried message after the calls already made, and starts over after a permanent failure", async () => {
    const progress = new CallProgress();
    const made: string[] = [];
    let failOn: string | undefined = "b";
    const make = async (call: string) => {
      if (call === failOn) throw new Error("503");
      made.push(call);
    };
    await expect(progress.run(7, ["a", "b", "c"], make)).rejects.toThrow("503");
    expect(progress.made(7)).toBe(1);
    failOn = undefined;
    await progress.run(7, ["a", "b", "c"], make);
    expect(made).toEqual(["a", "b", "c"]);
    expect(progress.made(7)).toBe(0);

    failOn = "y";
    const rejected = (error: unknown) => new ChannelSendError("rejected", String(error));
    await expect(progress.run(8, ["x", "y"], make, rejected)).rejects.toBeInstanceOf(ChannelSendError);
    expect(progress.made(8)).toBe(0);
  });
});
