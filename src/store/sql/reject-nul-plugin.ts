import {
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';
import { invalidParam } from '../../core/errors/index.js';

function check(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) check(x);
    return;
  }
  if (typeof v === 'string' && v.includes('\u0000')) {
    throw invalidParam('Text values cannot contain the NUL character (\\u0000)', 'value');
  }
}

class NulCheck extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    check(node.value);
    return node;
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    for (const v of node.values) check(v);
    return node;
  }
}

/**
 * Rejects a NUL character in any bound string with a 400. PostgreSQL cannot store it in text; SQLite can, but the
 * store behaves the same on both dialects, so a value accepted on one is never refused by the other.
 */
export class RejectNulPlugin implements KyselyPlugin {
  private readonly checker = new NulCheck();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.checker.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
