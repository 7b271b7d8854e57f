/** `<sealNo>:<hash>`, an anchor noted from an earlier verify-log report (`--expect-seal`, `expectSeal`). */
export function parseExpectedSeal(text: string): { sealNo: number; hash: string } | null {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/i.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const sealNo = Number(m[1]);
  return sealNo >= 1 ? { sealNo, hash: m[2].toLowerCase() } : null;
}
