/** The slack tools on MCP SDK v1: one server instance per session, holding that session's draft. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { callerOf, jsonResult, toolError } from '../shared';
import { MAX_MESSAGE_CHARS, MessageDraft, type SlackWorkspace } from './workspace';

export const SLACK_TOOLS = ['slack_list_channels', 'slack_draft_append', 'slack_draft_show', 'slack_draft_clear', 'slack_draft_send', 'slack_channel_history'] as const;

const channel = z.string().min(1).max(80).describe('Channel name, with or without #');

/** A server for one session: the draft lives here, the channels in the shared workspace. */
export function createSlackServer(workspace: SlackWorkspace): McpServer {
  const server = new McpServer({ name: 'slack-pool', version: '1.0.0' });
  const draft = new MessageDraft();
  /**
   * Messages are signed by the caller the gateway vouched for (`IDENTITY_HEADER`, verified by the pool
   * shell), else by the client's name from `initialize`.
   */
  // Never the client-chosen clientInfo.name: a pool run bare (no identity key) verifies no one.
  const author = (authInfo: Parameters<typeof callerOf>[0]) => callerOf(authInfo)?.principal ?? 'anonymous';

  server.registerTool('slack_list_channels', { title: 'List channels', description: 'Channels of the workspace with their topic and message count.', annotations: { readOnlyHint: true } }, async () =>
    jsonResult({ channels: workspace.listChannels() }),
  );

  server.registerTool(
    'slack_draft_append',
    {
      title: 'Append to the draft',
      description: "Append a line to this session's message draft (kept until sent or cleared; other sessions have their own).",
      inputSchema: { text: z.string().min(1).max(MAX_MESSAGE_CHARS) },
    },
    async ({ text }) => {
      try {
        return jsonResult(draft.append(text));
      } catch (error) {
        return toolError(error);
      }
    },
  );

  server.registerTool('slack_draft_show', { title: 'Show the draft', description: "This session's message draft.", annotations: { readOnlyHint: true } }, async () =>
    jsonResult({ lines: draft.lineCount, text: draft.text }),
  );

  server.registerTool('slack_draft_clear', { title: 'Clear the draft', description: "Discard this session's message draft.", annotations: { idempotentHint: true } }, async () => {
    const discarded = draft.lineCount;
    draft.clear();
    return jsonResult({ discardedLines: discarded });
  });

  server.registerTool(
    'slack_draft_send',
    {
      title: 'Send the draft',
      description: "Post this session's draft to a channel and clear it; the message's author is the verified caller (anonymous on a pool that verifies no identity).",
      inputSchema: { channel },
    },
    async (args, extra) => {
      if (draft.lineCount === 0) return toolError('the draft is empty: add text with slack_draft_append first');
      try {
        const message = workspace.post(args.channel, author(extra.authInfo), draft.text);
        draft.clear();
        return jsonResult({ channel: args.channel.replace(/^#/, ''), ...message });
      } catch (error) {
        return toolError(error);
      }
    },
  );

  server.registerTool(
    'slack_channel_history',
    {
      title: 'Channel history',
      description: 'The newest messages of a channel, oldest first.',
      inputSchema: { channel, limit: z.number().int().min(1).max(100).default(20) },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      try {
        return jsonResult({ messages: workspace.history(args.channel, args.limit) });
      } catch (error) {
        return toolError(error);
      }
    },
  );
  return server;
}
