import * as common from 'oci-common';

/** How to authenticate to OCI Generative AI when the provider has no API key. */
export type OciAuth = { kind: 'config'; file?: string; profile?: string } | { kind: 'instance' } | { kind: 'resource' };

/**
 * A `fetch` that signs each request with OCI API-key signing (config file, instance principal or
 * resource principal), for the OpenAI-compatible endpoint of OCI Generative AI. The signer is
 * built once per provider (lazily: the config file is read on the first request).
 */
export function createOciSigningFetch(auth: OciAuth, base: typeof fetch = fetch): typeof fetch {
  let signer: Promise<common.DefaultRequestSigner> | null = null;
  const getSigner = (): Promise<common.DefaultRequestSigner> => {
    signer ??= (async () => {
      const provider =
        auth.kind === 'instance'
          ? await new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build()
          : auth.kind === 'resource'
            ? common.ResourcePrincipalAuthenticationDetailsProvider.builder()
            : new common.ConfigFileAuthenticationDetailsProvider(auth.file, auth.profile);
      return new common.DefaultRequestSigner(provider);
    })();
    return signer;
  };
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = request.body ? await request.text() : undefined;
    const headers = new Headers(request.headers);
    const httpRequest: common.HttpRequest = {
      method: request.method as common.Method,
      headers,
      uri: request.url,
      ...(body !== undefined ? { body } : {}),
    };
    await (await getSigner()).signHttpRequest(httpRequest);
    return base(request.url, {
      method: request.method,
      headers: httpRequest.headers,
      ...(body !== undefined ? { body } : {}),
      signal: request.signal,
    });
  }) as typeof fetch;
}

/** The OpenAI-compatible base URL of OCI Generative AI in a region. */
export function ociGenAiBaseUrl(region: string): string {
  return `https://inference.generativeai.${region}.oci.oraclecloud.com/20231130/actions/v1`;
}
