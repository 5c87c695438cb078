/**
 * The moment a test's delivery on `day` was made: `time` IST that day, but never later than now. A test running
 * between midnight and dawn IST would otherwise confirm today's drop "in the future", which the API refuses.
 */
export function deliveredAt(day: string, time = '06:30'): Date {
  const at = new Date(`${day}T${time}:00+05:30`);
  return at.getTime() > Date.now() ? new Date() : at;
}
