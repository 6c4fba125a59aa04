/**
 * A workflow that does nothing: Temporal's own cost of one workflow on this server and worker,
 * the baseline `bench:booking` compares the booking path with (and a cheap liveness probe).
 */
export async function probeWorkflow(): Promise<void> {}
