// The key types `fedcheck csr` generates, apart from the generator so the command's help can list them without
// loading the X.509 library.

export type KeyAlgorithm = 'rsa2048' | 'rsa3072' | 'rsa4096' | 'ec-p256' | 'ec-p384';
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['rsa2048', 'rsa3072', 'rsa4096', 'ec-p256', 'ec-p384'];
