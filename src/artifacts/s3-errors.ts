import { isAppError } from '../core/errors/index.js';
import { invalidParts, storageUnavailable, uploadNotFound } from './errors.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A 404 from S3: `NoSuchKey` (GetObject), `NotFound` (HeadObject, which has no body to name the error). */
export function isS3NotFound(e: unknown): boolean {
  const err = e as SdkError;
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || (err?.$metadata?.httpStatusCode === 404 && err?.name !== 'NoSuchBucket' && err?.name !== 'NoSuchUpload');
}

export function isNoSuchUpload(e: unknown): boolean {
  return (e as SdkError)?.name === 'NoSuchUpload';
}

/**
 * Maps what the S3 client throws into AppErrors where the cause is the caller's (unknown upload, bad part list) or
 * the network's (503); anything else (access denied, missing bucket) is a server misconfiguration and stays an
 * unknown error, logged in full and answered as a 500.
 */
export function mapS3Error(e: unknown, what: string, uploadId?: string): unknown {
  if (isAppError(e)) return e;
  const err = e as SdkError;
  if (uploadId !== undefined && isNoSuchUpload(e)) return uploadNotFound(uploadId);
  if (err?.name === 'InvalidPart' || err?.name === 'InvalidPartOrder' || err?.name === 'EntityTooSmall') {
    return invalidParts(`${err.name}: ${err.message ?? 'rejected by S3'}`);
  }
  if ((err?.code && NETWORK_CODES.has(err.code)) || err?.name === 'TimeoutError' || err?.name === 'RequestTimeout') {
    return storageUnavailable(what, e);
  }
  const status = err?.$metadata?.httpStatusCode;
  if (status === 503 || err?.name === 'SlowDown') return storageUnavailable(what, e);
  return e;
}

/** Runs one S3 call, mapping its failure with `mapS3Error`. */
export async function s3Call<T>(what: string, fn: () => Promise<T>, uploadId?: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw mapS3Error(e, what, uploadId);
  }
}
