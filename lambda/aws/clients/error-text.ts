/** An AWS call's failure as alerts and logs quote it: `Name: message` (`AccessDenied: User ... is not authorized ...`). */
export function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string } | undefined;
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}
