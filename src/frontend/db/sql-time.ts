/** A Date as 'YYYY-MM-DD HH:MM:SS.sss' (UTC): the traffic table's minute keys are its first 16 characters. */
export function sqlTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
