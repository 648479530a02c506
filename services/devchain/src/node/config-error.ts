/** Bad flags or an unusable conf file: devchain prints the message and exits 1, writing nothing. */
export class DevchainConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevchainConfigError';
  }
}
