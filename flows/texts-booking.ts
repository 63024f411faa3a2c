import type { BookingStatus } from "../commerce/index.ts";

/** A day the customer could type, written two ways: "friday", and "26/03" (or "3月26日"). */
export interface DayExamples {
  readonly weekday: string;
  readonly date: string;
}

/**
 * The words of the book step, "my bookings", reminders and the booking
 * buttons. `what` is "Haircut with Ana", `when` a day and time in the
 * business's zone and the customer's language, money already formatted.
 */
export interface BookingTexts {
  chooseService: string;
  serviceLabel: (name: string, minutes: number, price: string) => string;
  chooseResource: (service: string) => string;
  anyResource: string;
  /** `examples`: a weekday and a date the customer could type and that would be taken, or undefined when no day is free. */
  chooseDay: (examples: DayExamples | undefined) => string;
  laterDays: string;
  noFreeDays: (days: number) => string;
  dayNotUnderstood: (examples: DayExamples | undefined) => string;
  dayInPast: (day: string) => string;
  /** `last`: the last day that can be booked. */
  dayTooFar: (days: number, last: string) => string;
  /** What a sentence was read as, before the question about what is still missing: "Haircut · Tuesday 8 December · 10:00". */
  bookingNoted: (parts: readonly string[]) => string;
  /** Nothing in the answer to the service question was understood: what can be typed there. */
  serviceHelp: string;
  /** Nothing in the answer to "who?" was understood. */
  resourceHelp: string;
  /** Anything but yes or no at the booking summary. */
  confirmHelp: string;
  /** Why a typed time cannot be booked, before the nearest free times. */
  timeTaken: (time: string) => string;
  timePassed: (time: string) => string;
  /** `who`: the resource chosen, or undefined for the business as a whole. */
  closedOn: (day: string, who: string | undefined) => string;
  outsideHours: (time: string, day: string, from: string, to: string) => string;
  nearestTimes: string;
  /** A part of the day, as it follows "in the" or stands alone: "morning", "matin", "上午". */
  partOfDay: (part: "morning" | "afternoon" | "evening") => string;
  partFull: (part: string, day: string) => string;
  /** A typed stylist the calendar does not have. */
  unknownResource: (name: string) => string;
  dayFull: (day: string) => string;
  chooseTime: (day: string) => string;
  earlierTimes: string;
  laterTimes: string;
  otherDay: string;
  timeNotOffered: string;
  timeNotUnderstood: string;
  bookingSummary: (what: string, when: string, minutes: number, price: string) => string;
  depositTerms: (deposit: string, holdMinutes: number, freeCancelHours: number) => string;
  noDepositTerms: (freeCancelHours: number) => string;
  confirmBookingQuestion: string;
  slotTaken: string;
  depositTitle: (bot: string, service: string) => string;
  depositDue: (booking: string, deposit: string, minutes: number) => string;
  bookingConfirmed: (booking: string, what: string, when: string) => string;
  depositPaidLine: (paid: string, rest: string) => string;
  holdExpired: (booking: string, what: string, when: string) => string;
  /** A deposit the provider asks about before charging is refused: the booking is no longer held. */
  depositNotPayable: (booking: string) => string;
  reminder: (what: string, when: string) => string;
  cancelBooking: string;
  reschedule: string;
  keepBooking: string;
  yesCancel: string;
  confirmCancelRefund: (what: string, when: string, refund: string) => string;
  /** `until`: when free cancellation ended, or null when it never applied. */
  confirmCancelKept: (what: string, when: string, kept: string, until: string | null) => string;
  confirmCancelFree: (what: string, when: string) => string;
  bookingCancelledRefund: (booking: string, refund: string) => string;
  bookingCancelledKept: (booking: string, kept: string) => string;
  bookingCancelled: (booking: string) => string;
  /** The shop cancelled the booking; `refund` is the deposit going back, or null when none was paid. */
  bookingCancelledByShop: (booking: string, what: string, when: string, refund: string | null) => string;
  /** The shop marked the booking missed; `kept` is the deposit kept, or null when none was paid. */
  bookingMissed: (booking: string, what: string, when: string, kept: string | null) => string;
  bookingKept: string;
  bookingClosed: (booking: string) => string;
  rescheduling: (what: string, when: string) => string;
  rescheduleNonRefundable: string;
  rescheduled: (booking: string, when: string) => string;
  noBookings: string;
  bookingsHeader: string;
  bookingStatus: (status: BookingStatus) => string;
  withResource: (service: string, resource: string) => string;
  /** Day and time together: "Friday 12 March at 10:00". */
  dayAtTime: (day: string, time: string) => string;
}

export const englishBookingTexts: BookingTexts = {
  chooseService: "Which service would you like?",
  serviceLabel: (name, minutes, price) => `${name} (${minutes} min, ${price})`,
  chooseResource: (service) => `Who would you like for your ${service.toLowerCase()}?`,
  anyResource: "Anyone",
  chooseDay: (examples) => `Which day? Pick one, or type a date${examples ? ` (e.g. ${examples.weekday}, ${examples.date})` : ""}.`,
  laterDays: "Later dates",
  noFreeDays: (days) => `Sorry, there is no free time in the next ${days} days.`,
  dayNotUnderstood: (examples) => `I couldn't read that as a day. Pick one, or type a date${examples ? ` like ${examples.weekday} or ${examples.date}` : ""}.`,
  dayInPast: (day) => `${day} has already passed.`,
  dayTooFar: (days, last) => `We take bookings up to ${days} days ahead (until ${last}).`,
  bookingNoted: (parts) => `Noted: ${parts.join(" · ")}.`,
  serviceHelp: "Pick a service, or type what you'd like and when, e.g. \"a haircut tomorrow at 10\".",
  resourceHelp: "Pick who you'd like, or type \"anyone\".",
  confirmHelp: "Tap Yes to book it, or No to pick another time.",
  timeTaken: (time) => `Sorry, ${time} is taken.`,
  timePassed: (time) => `${time} has already passed today.`,
  closedOn: (day, who) => (who === undefined ? `Sorry, we're closed on ${day}.` : `Sorry, ${who} isn't in on ${day}.`),
  outsideHours: (time, day, from, to) => `${time} is outside our hours on ${day}: the first start is ${from}, the last ${to}.`,
  nearestTimes: "The nearest free times:",
  partOfDay: (part) => part,
  partFull: (part, day) => `Sorry, nothing is free on ${day} in the ${part}.`,
  unknownResource: (name) => `We have no one called ${name}.`,
  dayFull: (day) => `Sorry, nothing is free on ${day}.`,
  chooseTime: (day) => `What time on ${day}?`,
  earlierTimes: "Earlier",
  laterTimes: "Later",
  otherDay: "Another day",
  timeNotOffered: "That time isn't free. Pick one of the times shown, or type one like 10:30.",
  timeNotUnderstood: "I couldn't read that as a time. Pick one, or type one like 10:30.",
  bookingSummary: (what, when, minutes, price) => `${what}, ${when} (${minutes} min). Price: ${price}.`,
  depositTerms: (deposit, holdMinutes, hours) =>
    `A deposit of ${deposit} confirms it; I'll hold the time for ${holdMinutes} minutes while you pay. Free cancellation up to ${hours} h before (deposit refunded).`,
  noDepositTerms: (hours) => `Free cancellation up to ${hours} h before.`,
  confirmBookingQuestion: "Shall I book it?",
  slotTaken: "Sorry, that time was just taken.",
  depositTitle: (bot, service) => `${bot}: deposit for ${service}`,
  depositDue: (booking, deposit, minutes) => `Booking #${booking} is held for ${minutes} minutes. Pay the deposit of ${deposit} to confirm it.`,
  bookingConfirmed: (booking, what, when) => `Booked! #${booking}: ${what}, ${when}. I'll remind you before.`,
  depositPaidLine: (paid, rest) => `Deposit paid: ${paid}; ${rest} to pay on the day.`,
  depositNotPayable: (booking) => `Booking #${booking} is no longer held, so its deposit cannot be paid. Nothing was charged. Type menu to book again.`,
  holdExpired: (booking, what, when) => `Booking #${booking} (${what}, ${when}) was not paid in time, so the time is free again. Type menu to book again.`,
  reminder: (what, when) => `Reminder: ${what}, ${when}.`,
  cancelBooking: "Cancel booking",
  reschedule: "Reschedule",
  keepBooking: "Keep it",
  yesCancel: "Yes, cancel",
  confirmCancelRefund: (what, when, refund) => `Cancel ${what}, ${when}? Your deposit of ${refund} will be refunded.`,
  confirmCancelKept: (what, when, kept, until) =>
    until === null ? `Cancel ${what}, ${when}? The deposit of ${kept} is not refundable, so it is kept.` : `Cancel ${what}, ${when}? Free cancellation ended ${until}, so the deposit of ${kept} is kept.`,
  confirmCancelFree: (what, when) => `Cancel ${what}, ${when}?`,
  bookingCancelledRefund: (booking, refund) => `Booking #${booking} is cancelled. Your deposit of ${refund} is refunded.`,
  bookingCancelledKept: (booking, kept) => `Booking #${booking} is cancelled. The deposit of ${kept} is kept.`,
  bookingCancelled: (booking) => `Booking #${booking} is cancelled.`,
  bookingCancelledByShop: (booking, what, when, refund) =>
    `Sorry, we had to cancel booking #${booking} (${what}, ${when}).${refund === null ? "" : ` Your deposit of ${refund} is refunded.`} Type menu to book another time.`,
  bookingMissed: (booking, what, when, kept) => `We missed you for booking #${booking} (${what}, ${when}).${kept === null ? "" : ` The deposit of ${kept} is kept.`} Type menu to book again.`,
  bookingKept: "OK, your booking stays as it is.",
  bookingClosed: (booking) => `Booking #${booking} can't be changed any more.`,
  rescheduling: (what, when) => `Let's move ${what} (now ${when}).`,
  rescheduleNonRefundable: "Your deposit stays with the booking, but free cancellation has passed, so it is no longer refundable.",
  rescheduled: (booking, when) => `Done: booking #${booking} is now ${when}. Your deposit stays with it.`,
  noBookings: "You have no upcoming bookings.",
  bookingsHeader: "Your bookings:",
  bookingStatus: (status) => ({ held: "awaiting deposit", confirmed: "confirmed", cancelled: "cancelled", expired: "expired", completed: "completed", no_show: "missed" })[status],
  withResource: (service, resource) => `${service} with ${resource}`,
  dayAtTime: (day, time) => `${day} at ${time}`,
};

export const frenchBookingTexts: BookingTexts = {
  chooseService: "Quelle prestation souhaitez-vous ?",
  serviceLabel: (name, minutes, price) => `${name} (${minutes} min, ${price})`,
  chooseResource: (service) => `Avec qui pour votre ${service.toLowerCase()} ?`,
  anyResource: "Peu importe",
  chooseDay: (examples) => `Quel jour ? Choisissez, ou écrivez une date${examples ? ` (ex. ${examples.weekday}, ${examples.date})` : ""}.`,
  laterDays: "Dates suivantes",
  noFreeDays: (days) => `Désolé, aucun créneau libre dans les ${days} prochains jours.`,
  dayNotUnderstood: (examples) => `Je n'ai pas compris ce jour. Choisissez-en un, ou écrivez une date${examples ? ` comme ${examples.weekday} ou ${examples.date}` : ""}.`,
  dayInPast: (day) => `${day} est déjà passé.`,
  dayTooFar: (days, last) => `Nous prenons les rendez-vous jusqu'à ${days} jours à l'avance (jusqu'au ${last}).`,
  bookingNoted: (parts) => `C'est noté : ${parts.join(" · ")}.`,
  serviceHelp: "Choisissez une prestation, ou écrivez ce que vous voulez et quand, par ex. « une coupe demain à 10h ».",
  resourceHelp: "Choisissez avec qui, ou écrivez « peu importe ».",
  confirmHelp: "Touchez Oui pour réserver, ou Non pour choisir une autre heure.",
  timeTaken: (time) => `Désolé, ${time} est déjà pris.`,
  timePassed: (time) => `${time} est déjà passé aujourd'hui.`,
  closedOn: (day, who) => (who === undefined ? `Désolé, nous sommes fermés le ${day}.` : `Désolé, ${who} ne travaille pas le ${day}.`),
  outsideHours: (time, day, from, to) => `${time} est en dehors de nos horaires le ${day} : premier rendez-vous à ${from}, dernier à ${to}.`,
  nearestTimes: "Les heures libres les plus proches :",
  partOfDay: (part) => ({ morning: "matin", afternoon: "après-midi", evening: "soir" })[part],
  partFull: (part, day) => `Désolé, plus rien de libre le ${day} ${part === "matin" ? "au matin" : part === "soir" ? "au soir" : "dans l'après-midi"}.`,
  unknownResource: (name) => `Nous n'avons personne qui s'appelle ${name}.`,
  dayFull: (day) => `Désolé, plus rien de libre le ${day}.`,
  chooseTime: (day) => `À quelle heure le ${day} ?`,
  earlierTimes: "Plus tôt",
  laterTimes: "Plus tard",
  otherDay: "Un autre jour",
  timeNotOffered: "Cette heure n'est pas libre. Choisissez une des heures proposées, ou écrivez-en une comme 10h30.",
  timeNotUnderstood: "Je n'ai pas compris cette heure. Choisissez-en une, ou écrivez-la comme 10h30.",
  bookingSummary: (what, when, minutes, price) => `${what}, ${when} (${minutes} min). Prix : ${price}.`,
  depositTerms: (deposit, holdMinutes, hours) =>
    `Un acompte de ${deposit} le confirme ; je garde le créneau ${holdMinutes} minutes le temps du paiement. Annulation gratuite jusqu'à ${hours} h avant (acompte remboursé).`,
  noDepositTerms: (hours) => `Annulation gratuite jusqu'à ${hours} h avant.`,
  confirmBookingQuestion: "Je réserve ?",
  slotTaken: "Désolé, ce créneau vient d'être pris.",
  depositTitle: (bot, service) => `${bot} : acompte pour ${service}`,
  depositDue: (booking, deposit, minutes) => `Le rendez-vous n°${booking} est retenu ${minutes} minutes. Payez l'acompte de ${deposit} pour le confirmer.`,
  bookingConfirmed: (booking, what, when) => `C'est réservé ! N°${booking} : ${what}, ${when}. Je vous le rappellerai avant.`,
  depositPaidLine: (paid, rest) => `Acompte payé : ${paid} ; ${rest} à régler sur place.`,
  depositNotPayable: (booking) => `Le rendez-vous n°${booking} n'est plus réservé : son acompte ne peut plus être payé. Rien n'a été débité. Écrivez menu pour réserver à nouveau.`,
  holdExpired: (booking, what, when) => `Le rendez-vous n°${booking} (${what}, ${when}) n'a pas été payé à temps : le créneau est libéré. Écrivez menu pour réserver à nouveau.`,
  reminder: (what, when) => `Rappel : ${what}, ${when}.`,
  cancelBooking: "Annuler le rendez-vous",
  reschedule: "Déplacer",
  keepBooking: "Le garder",
  yesCancel: "Oui, annuler",
  confirmCancelRefund: (what, when, refund) => `Annuler ${what}, ${when} ? Votre acompte de ${refund} sera remboursé.`,
  confirmCancelKept: (what, when, kept, until) =>
    until === null
      ? `Annuler ${what}, ${when} ? L'acompte de ${kept} n'est pas remboursable : il est conservé.`
      : `Annuler ${what}, ${when} ? L'annulation gratuite a pris fin ${until} : l'acompte de ${kept} est conservé.`,
  confirmCancelFree: (what, when) => `Annuler ${what}, ${when} ?`,
  bookingCancelledRefund: (booking, refund) => `Le rendez-vous n°${booking} est annulé. Votre acompte de ${refund} est remboursé.`,
  bookingCancelledKept: (booking, kept) => `Le rendez-vous n°${booking} est annulé. L'acompte de ${kept} est conservé.`,
  bookingCancelled: (booking) => `Le rendez-vous n°${booking} est annulé.`,
  bookingCancelledByShop: (booking, what, when, refund) =>
    `Désolé, nous avons dû annuler le rendez-vous n°${booking} (${what}, ${when}).${refund === null ? "" : ` Votre acompte de ${refund} est remboursé.`} Écrivez menu pour reprendre rendez-vous.`,
  bookingMissed: (booking, what, when, kept) =>
    `Nous ne vous avons pas vu pour le rendez-vous n°${booking} (${what}, ${when}).${kept === null ? "" : ` L'acompte de ${kept} est conservé.`} Écrivez menu pour reprendre rendez-vous.`,
  bookingKept: "Très bien, votre rendez-vous ne change pas.",
  bookingClosed: (booking) => `Le rendez-vous n°${booking} ne peut plus être modifié.`,
  rescheduling: (what, when) => `Déplaçons ${what} (actuellement ${when}).`,
  rescheduleNonRefundable: "Votre acompte reste acquis au rendez-vous, mais le délai d'annulation gratuite est passé : il n'est plus remboursable.",
  rescheduled: (booking, when) => `C'est fait : le rendez-vous n°${booking} est maintenant ${when}. Votre acompte reste acquis.`,
  noBookings: "Vous n'avez pas de rendez-vous à venir.",
  bookingsHeader: "Vos rendez-vous :",
  bookingStatus: (status) => ({ held: "acompte attendu", confirmed: "confirmé", cancelled: "annulé", expired: "expiré", completed: "terminé", no_show: "manqué" })[status],
  withResource: (service, resource) => `${service} avec ${resource}`,
  dayAtTime: (day, time) => `${day} à ${time}`,
};

export const chineseBookingTexts: BookingTexts = {
  chooseService: "您想预约哪项服务？",
  serviceLabel: (name, minutes, price) => `${name}（${minutes} 分钟，${price}）`,
  chooseResource: (service) => `${service}想找哪位？`,
  anyResource: "都可以",
  chooseDay: (examples) => `哪一天？请选择，或输入日期${examples ? `（例如 ${examples.weekday}、${examples.date}）` : ""}。`,
  laterDays: "更晚的日期",
  noFreeDays: (days) => `抱歉，未来 ${days} 天没有空位。`,
  dayNotUnderstood: (examples) => `没看懂这个日期。请选择一天，或输入日期${examples ? `，例如 ${examples.weekday} 或 ${examples.date}` : ""}。`,
  dayInPast: (day) => `${day}已经过去了。`,
  dayTooFar: (days, last) => `最多可提前 ${days} 天预约（截至${last}）。`,
  bookingNoted: (parts) => `已记下：${parts.join(" · ")}。`,
  serviceHelp: "请选择服务，或直接输入想约的服务和时间，例如“明天上午十点剪发”。",
  resourceHelp: "请选择想找的人，或输入“都可以”。",
  confirmHelp: "点“是”确认预约，点“否”换个时间。",
  timeTaken: (time) => `抱歉，${time} 已被约。`,
  timePassed: (time) => `今天 ${time} 已经过了。`,
  closedOn: (day, who) => (who === undefined ? `抱歉，${day}不营业。` : `抱歉，${who}${day}不上班。`),
  outsideHours: (time, day, from, to) => `${time} 不在${day}的营业时间内：最早 ${from}，最晚 ${to}。`,
  nearestTimes: "最近的空闲时间：",
  partOfDay: (part) => ({ morning: "上午", afternoon: "下午", evening: "晚上" })[part],
  partFull: (part, day) => `抱歉，${day}${part}已约满。`,
  unknownResource: (name) => `我们这里没有叫 ${name} 的。`,
  dayFull: (day) => `抱歉，${day}已约满。`,
  chooseTime: (day) => `${day}几点？`,
  earlierTimes: "更早",
  laterTimes: "更晚",
  otherDay: "换一天",
  timeNotOffered: "这个时间没有空位。请选择列出的时间，或输入例如 10:30。",
  timeNotUnderstood: "没看懂这个时间。请选择一个，或输入例如 10:30。",
  bookingSummary: (what, when, minutes, price) => `${what}，${when}（${minutes} 分钟）。价格：${price}。`,
  depositTerms: (deposit, holdMinutes, hours) => `支付定金 ${deposit} 即可确认；付款期间为您保留 ${holdMinutes} 分钟。提前 ${hours} 小时以上取消免费（退还定金）。`,
  noDepositTerms: (hours) => `提前 ${hours} 小时以上取消免费。`,
  confirmBookingQuestion: "确认预约吗？",
  slotTaken: "抱歉，这个时间刚刚被约走了。",
  depositTitle: (bot, service) => `${bot}：${service}定金`,
  depositDue: (booking, deposit, minutes) => `预约 #${booking} 为您保留 ${minutes} 分钟。支付定金 ${deposit} 即可确认。`,
  bookingConfirmed: (booking, what, when) => `预约成功！#${booking}：${what}，${when}。届时会提醒您。`,
  depositPaidLine: (paid, rest) => `已付定金：${paid}；余款 ${rest} 到店支付。`,
  depositNotPayable: (booking) => `预约 #${booking} 已不再保留，订金无法支付。未扣款。输入"菜单"重新预约。`,
  holdExpired: (booking, what, when) => `预约 #${booking}（${what}，${when}）未按时付款，时间已释放。输入"菜单"重新预约。`,
  reminder: (what, when) => `提醒：${what}，${when}。`,
  cancelBooking: "取消预约",
  reschedule: "改期",
  keepBooking: "保留",
  yesCancel: "是的，取消",
  confirmCancelRefund: (what, when, refund) => `取消${what}，${when}？定金 ${refund} 将退还。`,
  confirmCancelKept: (what, when, kept, until) =>
    until === null ? `取消${what}，${when}？定金 ${kept} 不可退还。` : `取消${what}，${when}？免费取消已于${until}截止，定金 ${kept} 不予退还。`,
  confirmCancelFree: (what, when) => `取消${what}，${when}？`,
  bookingCancelledRefund: (booking, refund) => `预约 #${booking} 已取消，定金 ${refund} 已退还。`,
  bookingCancelledKept: (booking, kept) => `预约 #${booking} 已取消，定金 ${kept} 不予退还。`,
  bookingCancelled: (booking) => `预约 #${booking} 已取消。`,
  bookingCancelledByShop: (booking, what, when, refund) => `抱歉，我们不得不取消预约 #${booking}（${what}，${when}）。${refund === null ? "" : `定金 ${refund} 将退还给您。`}输入"菜单"重新预约。`,
  bookingMissed: (booking, what, when, kept) => `您错过了预约 #${booking}（${what}，${when}）。${kept === null ? "" : `定金 ${kept} 不予退还。`}输入"菜单"重新预约。`,
  bookingKept: "好的，预约保持不变。",
  bookingClosed: (booking) => `预约 #${booking} 已无法更改。`,
  rescheduling: (what, when) => `为您改期：${what}（目前为 ${when}）。`,
  rescheduleNonRefundable: "定金保留在预约上，但已过免费取消时间，不再可退。",
  rescheduled: (booking, when) => `已改期：预约 #${booking} 现在是 ${when}。定金保留。`,
  noBookings: "您没有即将到来的预约。",
  bookingsHeader: "您的预约：",
  bookingStatus: (status) => ({ held: "待付定金", confirmed: "已确认", cancelled: "已取消", expired: "已过期", completed: "已完成", no_show: "未到店" })[status],
  withResource: (service, resource) => `${service}（${resource}）`,
  dayAtTime: (day, time) => `${day} ${time}`,
};
