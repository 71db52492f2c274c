/** Cache-policy step: create or update (If-Match) the manifest's own policies; managed ones are never touched. */
import { CreateCachePolicyCommand, DeleteCachePolicyCommand, UpdateCachePolicyCommand, type CachePolicyConfig } from '@aws-sdk/client-cloudfront';
import type { AwsClients } from '../../aws/clients.js';
import type { CachePolicyChange } from '../../plan/resources.js';
import type { UndoLog } from '../undo.js';

export async function applyCachePolicy(clients: AwsClients, change: CachePolicyChange, undo: UndoLog, observedConfig?: CachePolicyConfig): Promise<{ key: string; id: string }> {
  const cloudfront = clients.cloudfront;
  if (change.action === 'create') {
    const created = await cloudfront.send(new CreateCachePolicyCommand({ CachePolicyConfig: change.config }));
    const id = created.CachePolicy!.Id!;
    undo.push(`delete cache policy ${change.name}`, async () => {
      await cloudfront.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: created.ETag }));
    });
    return { key: change.key, id };
  }
  if (change.action === 'update') {
    // A cache policy in use takes effect at once: a failed install puts the old one back.
    const updated = await cloudfront.send(new UpdateCachePolicyCommand({ Id: change.id, IfMatch: change.etag, CachePolicyConfig: change.config }));
    undo.push(`restore cache policy ${change.name}`, async () => {
      await cloudfront.send(new UpdateCachePolicyCommand({ Id: change.id, IfMatch: updated.ETag, CachePolicyConfig: observedConfig }));
    });
  }
  return { key: change.key, id: change.id! };
}
