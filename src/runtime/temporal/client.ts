import { Client, Connection } from '@temporalio/client';

export interface TemporalClient {
  client: Client;
  close(): Promise<void>;
}

export async function connectClient(address: string, namespace: string): Promise<TemporalClient> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  return { client, close: () => connection.close() };
}
