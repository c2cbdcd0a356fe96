// A real OpenID Connect provider for the browser tests (npm's certified oidc-provider).
// Usage: node oidc_provider.mjs PORT REDIRECT_URIS ACCOUNTS_JSON (redirect URIs comma-separated)
// ACCOUNTS_JSON maps a login to {name, groups, department, roles}: the ID token carries
// name, groups and department_code (the staff web app maps them by configuration); the
// access token is a JWT for audience "chancery" with roles and department, which the
// services verify through this provider's JWKS.
import crypto from "node:crypto";
import Provider from "oidc-provider";

const [port, redirectUris, accountsJson] = process.argv.slice(2);
const accounts = JSON.parse(accountsJson);
const issuer = `http://127.0.0.1:${port}`;
const RESOURCE = "urn:chancery:api";
const key = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
  .export({ format: "jwk" });

const provider = new Provider(issuer, {
  clients: [{
    client_id: "chancery-staff", client_secret: "test-client-secret",
    redirect_uris: redirectUris.split(","), grant_types: ["authorization_code"],
    response_types: ["code"], token_endpoint_auth_method: "client_secret_basic",
  }],
  pkce: { required: () => true },
  jwks: { keys: [{ ...key, kid: "test-key", alg: "RS256", use: "sig" }] },
  scopes: ["openid", "profile", "chancery", "api"],
  claims: { openid: ["sub"], profile: ["name"], chancery: ["groups", "department_code"] },
  conformIdTokenClaims: false,
  cookies: { keys: ["test-cookie-key"] },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: "api", audience: "chancery", accessTokenFormat: "jwt", accessTokenTTL: 3600,
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: account.name, groups: account.groups,
                 department_code: account.department ?? null };
      },
    };
  },
  async extraTokenClaims(_ctx, token) {
    const account = accounts[token.accountId];
    if (!account || token.kind !== "AccessToken") return undefined;
    return { roles: account.roles, ...(account.department ? { department: account.department } : {}) };
  },
  // First-party client: no consent screen, the grant covers what the client asks for.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid profile chancery api");
    grant.addOIDCClaims(["name", "groups", "department_code"]);
    grant.addResourceScope(RESOURCE, "api");
    await grant.save();
    return grant;
  },
});

provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
