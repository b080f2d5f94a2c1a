import type { CreatedAt } from '../../db/schema.ts';

export interface VectorIndexesTable {
  name: string;
  dimension: number;
  embedder: string;
  created_at: CreatedAt;
}

declare module '../../db/schema.ts' {
  interface DB {
    vector_indexes: VectorIndexesTable;
  }
}
