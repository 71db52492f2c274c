/** The record of every API call, served at GET /_sandbox/calls. */
export interface CallRecord {
  seq: number;
  service: string;
  operation: string;
  status: number;
  error: string | null;
  mutating: boolean;
}

export class CallLog {
  private records: CallRecord[] = [];

  add(record: Omit<CallRecord, 'seq'>): CallRecord {
    const full = { seq: this.records.length + 1, ...record };
    this.records.push(full);
    return full;
  }

  all(): CallRecord[] {
    return this.records;
  }

  clear(): void {
    this.records = [];
  }
}
