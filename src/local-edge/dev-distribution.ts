/**
 * The distribution `dev --origin <url>` serves the integration on when there is no real one to
 * copy: the manifest's distribution id, one custom origin at the URL's host (the origin map
 * sends it to the URL), a default behavior that caches nothing and forwards everything but
 * Host (CachingDisabled + AllViewerExceptHostHeader, all methods, HTTP and HTTPS), so what the
 * developer sees is the functions and their origin, not a cache. Written as CloudFront's own
 * XML, the form a copy of a real distribution has.
 */
import type { CopiedDistribution } from '../sandbox/seeds/copy.js';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const escape = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function devDistribution(id: string, origin: URL): CopiedDistribution {
  const https = origin.protocol === 'https:';
  const methods = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'];
  const configXml = `<?xml version="1.0" encoding="UTF-8"?>
<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
  <CallerReference>edge-install-dev</CallerReference>
  <Aliases><Quantity>0</Quantity></Aliases>
  <DefaultRootObject></DefaultRootObject>
  <Origins><Quantity>1</Quantity><Items><Origin>
    <Id>dev-origin</Id>
    <DomainName>${escape(origin.hostname)}</DomainName>
    <OriginPath></OriginPath>
    <CustomHeaders><Quantity>0</Quantity></CustomHeaders>
    <CustomOriginConfig>
      <HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>
      <OriginProtocolPolicy>${https ? 'https-only' : 'http-only'}</OriginProtocolPolicy>
      <OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>
      <OriginReadTimeout>30</OriginReadTimeout><OriginKeepaliveTimeout>5</OriginKeepaliveTimeout>
    </CustomOriginConfig>
    <ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout>
    <OriginShield><Enabled>false</Enabled></OriginShield>
    <OriginAccessControlId></OriginAccessControlId>
  </Origin></Items></Origins>
  <OriginGroups><Quantity>0</Quantity></OriginGroups>
  <DefaultCacheBehavior>
    <TargetOriginId>dev-origin</TargetOriginId>
    <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>
    <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>
    <ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>
    <AllowedMethods><Quantity>${methods.length}</Quantity><Items>${methods.map((m) => `<Method>${m}</Method>`).join('')}</Items>
      <CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>
    <SmoothStreaming>false</SmoothStreaming>
    <Compress>true</Compress>
    <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>
    <FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>
    <FieldLevelEncryptionId></FieldLevelEncryptionId>
    <CachePolicyId>${CACHING_DISABLED}</CachePolicyId>
    <OriginRequestPolicyId>${ALL_VIEWER_EXCEPT_HOST_HEADER}</OriginRequestPolicyId>
  </DefaultCacheBehavior>
  <CacheBehaviors><Quantity>0</Quantity></CacheBehaviors>
  <CustomErrorResponses><Quantity>0</Quantity></CustomErrorResponses>
  <Comment>edge-install dev in front of ${escape(origin.origin)}</Comment>
  <Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>
  <PriceClass>PriceClass_All</PriceClass>
  <Enabled>true</Enabled>
  <ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate><SSLSupportMethod>vip</SSLSupportMethod><MinimumProtocolVersion>TLSv1</MinimumProtocolVersion><CertificateSource>cloudfront</CertificateSource></ViewerCertificate>
  <Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>
  <WebACLId></WebACLId>
  <HttpVersion>http2</HttpVersion>
  <IsIPV6Enabled>true</IsIPV6Enabled>
</DistributionConfig>`;
  return { id, domainName: `d${id.toLowerCase().slice(1, 14).padEnd(13, '0')}.cloudfront.net`, status: 'Deployed', configXml, tags: {} };
}
