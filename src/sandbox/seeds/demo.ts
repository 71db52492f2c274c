/**
 * Seed `demo`: a realistic distribution that has been in production for a while, so that
 * every install has foreign config to preserve: an S3 site origin with origin access control,
 * an api.example.com custom origin, an origin group, the default behavior on the site with
 * CachingOptimized, `/api/*` (CachingDisabled, AllViewerExceptHostHeader, all methods),
 * `/static/*` with a CloudFront Function on viewer-request, aliases, an ACM certificate,
 * logging, custom error responses, geo restrictions, staging members and tags.
 */
import { parseXml } from '../xml.js';

export const DEMO_DISTRIBUTION_ID = 'E1DEMO0EXAMPLE';
export const DEMO_DOMAIN_NAME = 'd111111abcdef8.cloudfront.net';
export const DEMO_TAGS = { Environment: 'production', Team: 'web-platform' };

const DEMO_CONFIG = `<?xml version="1.0" encoding="UTF-8"?>
<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
  <CallerReference>terraform-20240312094512873400000001</CallerReference>
  <Aliases><Quantity>2</Quantity><Items><CNAME>www.example.com</CNAME><CNAME>example.com</CNAME></Items></Aliases>
  <DefaultRootObject>index.html</DefaultRootObject>
  <Origins><Quantity>2</Quantity><Items>
    <Origin>
      <Id>site-s3</Id>
      <DomainName>example-site-prod.s3.us-east-1.amazonaws.com</DomainName>
      <OriginPath></OriginPath>
      <CustomHeaders><Quantity>0</Quantity></CustomHeaders>
      <S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig>
      <ConnectionAttempts>3</ConnectionAttempts>
      <ConnectionTimeout>10</ConnectionTimeout>
      <OriginShield><Enabled>false</Enabled></OriginShield>
      <OriginAccessControlId>E2OACEXAMPLE01</OriginAccessControlId>
    </Origin>
    <Origin>
      <Id>api</Id>
      <DomainName>api.example.com</DomainName>
      <OriginPath>/v2</OriginPath>
      <CustomHeaders><Quantity>1</Quantity><Items><OriginCustomHeader><HeaderName>X-Origin-Verify</HeaderName><HeaderValue>demo-origin-verify-token</HeaderValue></OriginCustomHeader></Items></CustomHeaders>
      <CustomOriginConfig>
        <HTTPPort>80</HTTPPort>
        <HTTPSPort>443</HTTPSPort>
        <OriginProtocolPolicy>https-only</OriginProtocolPolicy>
        <OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>
        <OriginReadTimeout>30</OriginReadTimeout>
        <OriginKeepaliveTimeout>5</OriginKeepaliveTimeout>
      </CustomOriginConfig>
      <ConnectionAttempts>3</ConnectionAttempts>
      <ConnectionTimeout>10</ConnectionTimeout>
      <OriginShield><Enabled>true</Enabled><OriginShieldRegion>us-east-1</OriginShieldRegion></OriginShield>
      <OriginAccessControlId></OriginAccessControlId>
    </Origin>
  </Items></Origins>
  <OriginGroups><Quantity>1</Quantity><Items>
    <OriginGroup>
      <Id>site-failover</Id>
      <FailoverCriteria><StatusCodes><Quantity>2</Quantity><Items><StatusCode>500</StatusCode><StatusCode>503</StatusCode></Items></StatusCodes></FailoverCriteria>
      <Members><Quantity>2</Quantity><Items><OriginGroupMember><OriginId>site-s3</OriginId></OriginGroupMember><OriginGroupMember><OriginId>api</OriginId></OriginGroupMember></Items></Members>
      <SelectionCriteria>default</SelectionCriteria>
    </OriginGroup>
  </Items></OriginGroups>
  <DefaultCacheBehavior>
    <TargetOriginId>site-s3</TargetOriginId>
    <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
    <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
    <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>
    <AllowedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items>
      <CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>
    <SmoothStreaming>false</SmoothStreaming>
    <Compress>true</Compress>
    <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>
    <FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>
    <FieldLevelEncryptionId></FieldLevelEncryptionId>
    <CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId>
  </DefaultCacheBehavior>
  <CacheBehaviors><Quantity>2</Quantity><Items>
    <CacheBehavior>
      <PathPattern>/api/*</PathPattern>
      <TargetOriginId>api</TargetOriginId>
      <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
      <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
      <ViewerProtocolPolicy>https-only</ViewerProtocolPolicy>
      <AllowedMethods><Quantity>7</Quantity><Items><Method>HEAD</Method><Method>DELETE</Method><Method>POST</Method><Method>GET</Method><Method>OPTIONS</Method><Method>PUT</Method><Method>PATCH</Method></Items>
        <CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>
      <SmoothStreaming>false</SmoothStreaming>
      <Compress>true</Compress>
      <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>
      <FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>
      <FieldLevelEncryptionId></FieldLevelEncryptionId>
      <CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId>
      <OriginRequestPolicyId>b689b0a8-53d0-40ab-baf2-68738e2966ac</OriginRequestPolicyId>
    </CacheBehavior>
    <CacheBehavior>
      <PathPattern>/static/*</PathPattern>
      <TargetOriginId>site-s3</TargetOriginId>
      <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
      <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
      <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>
      <AllowedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items>
        <CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>
      <SmoothStreaming>false</SmoothStreaming>
      <Compress>true</Compress>
      <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>
      <FunctionAssociations><Quantity>1</Quantity><Items><FunctionAssociation><FunctionARN>arn:aws:cloudfront::123456789012:function/static-index-rewrite</FunctionARN><EventType>viewer-request</EventType></FunctionAssociation></Items></FunctionAssociations>
      <FieldLevelEncryptionId></FieldLevelEncryptionId>
      <CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId>
    </CacheBehavior>
  </Items></CacheBehaviors>
  <CustomErrorResponses><Quantity>2</Quantity><Items>
    <CustomErrorResponse><ErrorCode>403</ErrorCode><ResponsePagePath>/index.html</ResponsePagePath><ResponseCode>200</ResponseCode><ErrorCachingMinTTL>10</ErrorCachingMinTTL></CustomErrorResponse>
    <CustomErrorResponse><ErrorCode>404</ErrorCode><ResponsePagePath>/404.html</ResponsePagePath><ResponseCode>404</ResponseCode><ErrorCachingMinTTL>300</ErrorCachingMinTTL></CustomErrorResponse>
  </Items></CustomErrorResponses>
  <Comment>example.com production site</Comment>
  <Logging><Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>example-cf-logs.s3.amazonaws.com</Bucket><Prefix>www/</Prefix></Logging>
  <PriceClass>PriceClass_100</PriceClass>
  <Enabled>true</Enabled>
  <ViewerCertificate>
    <CloudFrontDefaultCertificate>false</CloudFrontDefaultCertificate>
    <ACMCertificateArn>arn:aws:acm:us-east-1:123456789012:certificate/8e5b4c2a-1f3d-4e6a-9b7c-0d2e4f6a8b1c</ACMCertificateArn>
    <SSLSupportMethod>sni-only</SSLSupportMethod>
    <MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion>
    <Certificate>arn:aws:acm:us-east-1:123456789012:certificate/8e5b4c2a-1f3d-4e6a-9b7c-0d2e4f6a8b1c</Certificate>
    <CertificateSource>acm</CertificateSource>
  </ViewerCertificate>
  <Restrictions><GeoRestriction><RestrictionType>blacklist</RestrictionType><Quantity>2</Quantity><Items><Location>KP</Location><Location>IR</Location></Items></GeoRestriction></Restrictions>
  <WebACLId></WebACLId>
  <HttpVersion>http2and3</HttpVersion>
  <IsIPV6Enabled>true</IsIPV6Enabled>
  <ContinuousDeploymentPolicyId></ContinuousDeploymentPolicyId>
  <Staging>false</Staging>
</DistributionConfig>`;

/**
 * The CloudFront Function `/static/*` runs on viewer-request (published, cloudfront-js-2.0): S3
 * has no directory index, so `/static/docs/` and `/static/docs` are served as
 * `/static/docs/index.html`.
 */
export const DEMO_FUNCTION = {
  name: 'static-index-rewrite',
  runtime: 'cloudfront-js-2.0',
  comment: 'Serve index.html for directory-style URLs under /static/',
  code: `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (!uri.slice(uri.lastIndexOf('/') + 1).includes('.')) {
    request.uri = uri + '/index.html';
  }
  return request;
}
`,
};

/** The demo's empty bucket, for S3 state. */
export const DEMO_STATE_BUCKET = 'edge-install-demo-state';

export function demoDistributionConfig() {
  return parseXml(DEMO_CONFIG);
}
