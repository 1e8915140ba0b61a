// The default checksum database's verifier key, public and built into the go command
// (cmd/go/internal/modfetch/key.go): `go env GOSUMDB` prints only the database's name, so
// without this a proxy could not verify what that database says. This is the one place the
// name appears in the code.

const knownKeys: ReadonlyMap<string, string> = new Map([
  ['sum.golang.org', 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8'],
]);

/** The name of the database the go command uses when GOSUMDB is unset. */
export const defaultSumdbName = [...knownKeys.keys()][0] as string;

/** The verifier key the go command knows for `name` without being told; null for any other. */
export function knownSumdbKey(name: string): string | null {
  return knownKeys.get(name) ?? null;
}
