/** The `If-Match` header a change sends: the version it was shown (the server's ETag is `"<version>"`). */
export function ifMatch(version: number): { 'If-Match': string } {
  return { 'If-Match': `"${version}"` };
}
