/** Uploads a synthesized stack's file assets to moto's S3, where a CDK deployment would have put them in the bootstrap bucket. */
import * as fs from 'fs';
import * as path from 'path';
import { BucketLocationConstraint, CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import JSZip from 'jszip';
import { AssemblyStack } from './cloud-assembly';
import { MOTO_ACCOUNT } from './moto';

export interface AssetClients {
  readonly s3: S3Client;
  readonly region: string;
}

export interface PublishedAsset {
  readonly id: string;
  readonly bucket: string;
  readonly key: string;
}

interface FileAsset {
  readonly source: { readonly path?: string; readonly packaging?: 'zip' | 'file'; readonly executable?: readonly string[] };
  readonly destinations: Record<string, { readonly bucketName: string; readonly objectKey: string; readonly region?: string }>;
}

interface AssetManifest {
  readonly files?: Record<string, FileAsset>;
  readonly dockerImages?: Record<string, unknown>;
}

/** The bucket `cdk bootstrap` creates with the default qualifier. */
export function assetBucketName(region: string): string {
  return `cdk-hnb659fds-assets-${MOTO_ACCOUNT}-${region}`;
}

/**
 * Puts every file asset of `stack` where its asset manifest says, as `cdk deploy` would: directories zipped,
 * files as they are, `${AWS::AccountId}` and `${AWS::Region}` filled in for moto's account and `clients.region`.
 */
export async function publishAssets(assemblyDir: string, stack: AssemblyStack, clients: AssetClients): Promise<PublishedAsset[]> {
  if (!stack.assetsFile) return [];
  const manifest = JSON.parse(fs.readFileSync(stack.assetsFile, 'utf8')) as AssetManifest;
  const dockerImages = Object.keys(manifest.dockerImages ?? {});
  if (dockerImages.length > 0) {
    throw new Error(`${stack.stackName} has Docker image assets (${dockerImages.join(', ')}): moto has no container registry to rehearse them against`);
  }

  const published: PublishedAsset[] = [];
  for (const [id, asset] of Object.entries(manifest.files ?? {})) {
    if (!asset.source.path) {
      throw new Error(`asset ${id} of ${stack.stackName} is built by a command (${asset.source.executable?.join(' ')}): not supported in a rehearsal`);
    }
    const body = await packageAsset(path.join(assemblyDir, asset.source.path), asset.source.packaging ?? 'file');
    for (const destination of Object.values(asset.destinations)) {
      const region = destination.region ? substitute(destination.region, clients.region) : clients.region;
      const bucket = substitute(destination.bucketName, region);
      const key = substitute(destination.objectKey, region);
      await ensureBucket(clients.s3, bucket, region);
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      published.push({ id, bucket, key });
    }
  }
  return published;
}

/** Creates the bucket unless it exists; tolerates another worker creating it at the same moment. */
export async function ensureBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'NotFound') throw error;
  }
  try {
    await s3.send(new CreateBucketCommand({
      Bucket: bucket,
      // us-east-1 is the one region that rejects an explicit location constraint.
      CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint },
    }));
  } catch (error) {
    if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes((error as Error).name)) throw error;
  }
}

function substitute(text: string, region: string): string {
  return text
    .replace(/\$\{AWS::AccountId\}/g, MOTO_ACCOUNT)
    .replace(/\$\{AWS::Region\}/g, region)
    .replace(/\$\{AWS::Partition\}/g, 'aws');
}

async function packageAsset(sourcePath: string, packaging: 'zip' | 'file'): Promise<Buffer> {
  if (packaging === 'file') return fs.readFileSync(sourcePath);
  if (!fs.statSync(sourcePath).isDirectory()) {
    throw new Error(`zip asset ${sourcePath} is not a directory`);
  }
  const zip = new JSZip();
  for (const file of listFiles(sourcePath)) {
    zip.file(path.relative(sourcePath, file).split(path.sep).join('/'), fs.readFileSync(file), {
      unixPermissions: fs.statSync(file).mode,
    });
  }
  return zip.generateAsync({ type: 'nodebuffer', platform: 'UNIX', compression: 'DEFLATE' });
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    // statSync follows symlinks, which asset staging may leave in place of copies.
    return fs.statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}
