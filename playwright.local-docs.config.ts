import base from "./playwright.config";

// Local only (not committed): the same config with longer web-server budgets for an overloaded machine.
const servers = Array.isArray(base.webServer) ? base.webServer : base.webServer ? [base.webServer] : [];
export default { ...base, webServer: servers.map((server) => ({ ...server, timeout: 1_500_000 })) };
