export { sampleNeighbours, MAX_NEIGHBOURS, type SampleNeighbours, type SampleNeighbour } from "./sample-neighbours";
export {
  retrieveReasoning,
  MAX_QUESTION_CHARS,
  MAX_RETRIEVED,
  type ReasoningRetrieval,
  type RetrievedReasoning,
} from "./retrieve-reasoning";
export { NeighbourQueryError } from "./neighbour-errors";
