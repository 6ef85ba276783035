// Real MeshDocuments (the SDK's runtime, Yjs inside) joined in-process the way
// a room joins them: each one's updates reach the others a tick later, as a
// network would deliver them. Each is served by a RoomDocumentSession, as the
// page serves an opened document. Pure: no test runner.

import { applyBackendChanges, MeshDocument, MeshSchema } from "@meshagent/meshagent";
import type { DocumentDeclaration } from "../../lib/room/document-schema";
import type { SdkDocument } from "../../lib/room/document-tree";
import { RoomDocumentSession, type RoomDocumentDefinition } from "../../lib/room/room-document";

export function linkedDocuments<D extends DocumentDeclaration>(definition: RoomDocumentDefinition<D>, count = 2) {
  const docs: MeshDocument[] = [];
  const disposed = new Set<MeshDocument>();
  const deliver = (from: number) => (base64: string) =>
    setTimeout(() => {
      for (const [index, doc] of docs.entries()) {
        if (index !== from && !disposed.has(doc)) applyBackendChanges(doc.id, base64);
      }
    }, 0);
  for (let index = 0; index < count; index++) {
    const schema = MeshSchema.fromJson(definition.schema.toJson());
    docs.push(new MeshDocument({ schema, sendChangesToBackend: deliver(index) }));
  }
  const sessions = docs.map((doc) => {
    const session = new RoomDocumentSession(definition);
    session.bind(doc as unknown as SdkDocument);
    return session;
  });
  return {
    docs,
    sessions,
    dispose() {
      for (const doc of docs) {
        disposed.add(doc);
        doc.dispose();
      }
    },
  };
}

/** Lets queued deliveries and reads run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
