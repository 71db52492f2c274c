/**
 * What a CloudFront distribution id looks like. Its own module, free of imports, because the
 * CLI checks `--distribution` on every start, before zod or the AWS SDK are loaded.
 */
export const DISTRIBUTION_ID = /^E[A-Z0-9]{5,20}$/;
export const DISTRIBUTION_ID_EXAMPLE = 'E2QWRUHAPOMQZL';
