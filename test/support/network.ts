import os from 'node:os';

/** This machine's address on its network (not loopback): a connection to it is not a local one. */
export function networkAddress(): string {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal);
  if (!address) throw new Error('this test needs a network interface besides loopback');
  return address.address;
}
