import { defineBot, flow } from "kiosk";

/** A bakery's one-flow bot: it asks the customer's name and what to put aside for them. */
export default defineBot({
  id: "bakery",
  name: "Le Fournil",
  flows: [
    flow("hold", "1")
      .say("greet", "Bonjour! Le Fournil puts a loaf aside for you.")
      .choice("loaf", { prompt: "Which loaf?", slot: "loaf", choices: ["Baguette", "Campagne", "Seigle"] })
      .askText("name", { prompt: "Under which name?", slot: "name", maxLength: 40 })
      .end("done", "Done: {{ slots.loaf }} for {{ slots.name }}, at the counter until 6 pm.")
      .build(),
  ],
});
