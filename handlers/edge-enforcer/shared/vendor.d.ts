/**
 * The part of the bot-defence vendor's SDK the wrappers use, for type-checking only
 * (handlers/tsconfig.json). The package itself is installed by the user in their project and
 * resolved from there at bundle time (src/bundle/esbuild.ts, project-first); edge-install
 * does not depend on it.
 */
declare module '@humansecurity/aws-lambda-edge-enforcer' {
  type EdgeHandler = import('../../shared/cloudfront.js').EdgeHandler;
  export type HumanSecurityConfiguration = Record<string, unknown>;
  export function createHumanEnforceHandler(config: HumanSecurityConfiguration): EdgeHandler;
  export function createHumanActivitiesHandler(config: HumanSecurityConfiguration): EdgeHandler;
  export function createHumanFirstPartyHandler(config: HumanSecurityConfiguration): EdgeHandler;
}
