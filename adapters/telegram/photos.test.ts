import { InputFile } from "grammy";
import { describe, expect, it } from "vitest";
import { imagesIn, PhotoCache } from "./photos.ts";

describe("PhotoCache", () => {
  const files = imagesIn(new Map([["cafe", "/srv/bots/cafe"]]));

  it("resolves an image path inside its bot's folder only", () => {
    expect(files("cafe", "images/latte.jpg")).toBe("/srv/bots/cafe/images/latte.jpg");
    expect(files("cafe", "../salon/secret.jpg")).toBeUndefined();
    expect(files("cafe", "images/../../salon/secret.jpg")).toBeUndefined();
    expect(files("salon", "images/latte.jpg")).toBeUndefined();
  });

  it("uploads a file until Telegram gave it a file_id, per bot, and uploads again after a refusal", () => {
    const photos = new PhotoCache(files);
    expect(photos.input("cafe", "https://cdn.example.com/latte.jpg")).toBe("https://cdn.example.com/latte.jpg");
    expect(photos.input("cafe", "images/latte.jpg")).toBeInstanceOf(InputFile);
    photos.remember("cafe", "images/latte.jpg", [{ file_id: "small" }, { file_id: "large" }]);
    expect(photos.input("cafe", "images/latte.jpg")).toBe("large");
    // Another bot cannot use this bot's file_id.
    expect(photos.input("salon", "images/latte.jpg")).toBeUndefined();
    photos.forget("cafe", "images/latte.jpg");
    expect(photos.input("cafe", "images/latte.jpg")).toBeInstanceOf(InputFile);
  });
});
