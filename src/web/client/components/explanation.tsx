// Why no slot fits, tool by tool, in the words src/web/client/explain.ts gives each reason.
import type { Explanation } from '../api.js';
import { reasonInWords } from '../explain.js';
import type { ToolView } from '../api.js';

export function ToolRef(props: { tools: Map<string, ToolView>; toolId: string }) {
  const tool = props.tools.get(props.toolId);
  return (
    <span class="tool-ref" title={tool ? `${tool.name} — ${tool.type.name}` : props.toolId}>
      {props.toolId}
    </span>
  );
}

export function ExplanationList(props: { tools: Map<string, ToolView>; explanation: Explanation }) {
  return (
    <ul class="explanation">
      {props.explanation.map((tool) => (
        <li key={`${tool.toolId}/${tool.linkedTo ?? ''}`} data-tool={tool.toolId}>
          <strong>
            <ToolRef tools={props.tools} toolId={tool.toolId} />
          </strong>
          <ul>
            {tool.reasons.map((reason, i) => (
              <li key={i}>{reasonInWords(reason)}</li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
