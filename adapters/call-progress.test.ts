import { describe, expect, it } from "vitest";
import { callsDone, makeCalls } from "./call-progress.ts";
import { ChannelSendError } from "../core/send-error.ts";

describe("makeCalls", () => {
  const recorder = () => {
    const made: string[] = [];
    const failOn = new Set<string>();
    const make = async (call: string) => {
      if (failOn.has(call)) throw new Error(`503 on ${call}`);
      made.push(call);
    };
    return { made, failOn, make };
  };

  it("says how many calls were made when a later one fails, and resumes after them", async () => {
    const { made, failOn, make } = recorder();
    failOn.add("b");
    const error = await makeCalls({}, ["a", "b", "c"], make).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ code: "unavailable", message: "503 on b", callsDone: 1, cause: expect.any(Error) });
    failOn.clear();
    await makeCalls({ callsDone: 1 }, ["a", "b", "c"], make);
    expect(made).toEqual(["a", "b", "c"]);
  });

  it("keeps the channel's error, adding the count, and counts from the calls of earlier attempts", async () => {
    const { failOn, make } = recorder();
    failOn.add("c");
    const limited = new ChannelSendError("rate_limited", "429", { retryAfterMs: 3000 });
    const error = await makeCalls({ callsDone: 1 }, ["a", "b", "c"], make, () => limited).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited", message: "429", retryAfterMs: 3000, callsDone: 2 });
  });

  it("rethrows a failure of the first call as it is, with no count", async () => {
    const { failOn, make } = recorder();
    failOn.add("a");
    const error = await makeCalls({}, ["a", "b"], make).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ChannelSendError);
    expect(String(error)).toContain("503 on a");
    expect(callsDone({})).toBe(0);
  });
});
