/**
 * Where edge-install's AWS resources live. Lambda@Edge functions and CloudFront are in
 * us-east-1 whatever the user's region (AWS: "Lambda@Edge … functions must be created in the
 * US East (N. Virginia) Region"); only the secret has a region of its own.
 */
export const EDGE_REGION = 'us-east-1';
