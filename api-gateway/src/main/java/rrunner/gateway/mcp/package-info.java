/**
 * The MCP server at {@code /mcp}: the official MCP Java SDK's server over the streamable HTTP transport, with the
 * tools an agent uses to run R ({@code run_r}), learn what it may run it in ({@code list_environments},
 * {@code describe_environment}) and work step by step in a live session ({@code create_session},
 * {@code exec_in_session}, {@code close_session}). Every script a tool runs is a job like any other: read by the
 * same parser, admitted to the same queue under the same limits, streamed by the same follower.
 */
package rrunner.gateway.mcp;
