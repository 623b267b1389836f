import { type ChatHistoryItem, type ChatWrapper, ChatMLChatWrapper, JinjaTemplateChatWrapper, type LlamaModel, LlamaText, resolveChatWrapper } from 'node-llama-cpp';
import type { ChatMessage } from './llm-engine.js';

/** The model's chat template, resolved once at load. */
export interface ChatTemplate {
  /** `jinja` (the template in the file), a node-llama-cpp wrapper name for a known family, or `chatml` (fallback). */
  name: string;
  wrapper: ChatWrapper;
}

/**
 * The chat template of a loaded model: the one in its GGUF metadata (`tokenizer.chat_template`, rendered as Jinja,
 * or a known family's exact format), else ChatML, which is what llama.cpp's server falls back to.
 */
export function resolveChatTemplate(model: LlamaModel): ChatTemplate {
  const hasTemplate = typeof model.fileInfo.metadata.tokenizer?.chat_template === 'string';
  const resolved = hasTemplate ? resolveChatWrapper({ bosString: model.tokens.bosString, filename: model.filename ?? '', fileInfo: model.fileInfo, tokenizer: model.tokenizer, warningLogs: false }) : null;
  if (resolved) return { name: resolved instanceof JinjaTemplateChatWrapper ? 'jinja' : resolved.wrapperName, wrapper: resolved };
  return { name: 'chatml', wrapper: new ChatMLChatWrapper() };
}

function history(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [];
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') items.push({ type: 'system', text: m.content });
    else if (m.role === 'assistant') items.push({ type: 'model', response: [m.content] });
    else items.push({ type: 'user', text: m.content });
  }
  // An open assistant turn at the end: the text the model writes next is its answer.
  const last = items[items.length - 1];
  if (last?.type !== 'model') items.push({ type: 'model', response: [] });
  return items;
}

/**
 * A conversation as tokens for the model to continue, and the strings that end the answer (the template's end of
 * turn, when it is written as text rather than a special end-of-generation token).
 */
export function renderChat(model: LlamaModel, template: ChatTemplate, messages: readonly ChatMessage[]): { tokens: number[]; stops: string[] } {
  const state = template.wrapper.generateContextState({ chatHistory: history(messages) });
  const tokens = state.contextText.tokenize(model.tokenizer);
  const stops: string[] = [];
  for (const t of state.stopGenerationTriggers) {
    const values = LlamaText(t).values;
    // Only plain-text triggers: special tokens (EOS, EOT) already end the generation as end-of-generation tokens.
    if (values.length > 0 && values.every((v) => typeof v === 'string')) {
      const s = values.join('');
      if (s.trim() !== '') stops.push(s);
    }
  }
  return { tokens, stops };
}
