/** Shapes a Decision for JSON clients (snake_case, cards joined by "/") and for people. */
import { formatCards, points } from '../cards.js';
import type { Decision } from '../game/decide.js';
import type { Play, Word } from '../game/solver.js';

const round2 = (n: number) => Math.round(n * 100) / 100;

function wordJson(word: Word) {
  return { cards: formatCards(word.cards), word: word.text, points: word.points, length: word.length };
}

export function playJson(play: Play) {
  return {
    drop: play.drop,
    score: play.score,
    complete: play.complete,
    words: play.words.map((w) => formatCards(w.cards)),
    unused: play.unused,
    longest_word: play.longestWord ? formatCards(play.longestWord.cards) : null,
    word_details: play.words.map(wordJson),
  };
}

/**
 * The seed's fields (score, complete, words, pick_up, drop) describe the best
 * play after taking the discard; `action` says whether taking it beats the
 * expected score of drawing from the pile instead.
 */
export function decisionJson(decision: Decision) {
  const { take, draw } = decision;
  return {
    hand: formatCards(decision.hand),
    deck: decision.deck,
    action: decision.action,
    summary: summarize(decision),
    pick_up: decision.deck,
    ...playJson(take),
    margin: round2(decision.margin),
    draw: {
      expected_score: round2(draw.expectedScore),
      unseen_cards: draw.unseen,
      outcomes: draw.outcomes.map((o) => ({ card: o.card, remaining: o.remaining, score: o.score, drop: o.drop })),
    },
    bonus_plays: {
      longest_word: decision.bonusPlays.longestWord && playJson(decision.bonusPlays.longestWord),
      most_words: decision.bonusPlays.mostWords && playJson(decision.bonusPlays.mostWords),
    },
    alternatives: decision.alternatives.map(playJson),
  };
}

const upper = (cards: readonly string[]) => cards.map((c) => c.toUpperCase()).join('/');

export function summarize({ action, deck, take, draw, margin }: Decision): string {
  const play = `${take.score} points${take.complete ? ', going out' : ''}`;
  const expected = round2(draw.expectedScore);
  return action === 'take'
    ? `Take ${deck.toUpperCase()} and drop ${take.drop!.toUpperCase()}: ${play}. ` +
        `Drawing from the pile is expected to score ${expected} (${round2(margin)} less).`
    : `Draw from the pile: expected ${expected}, ` +
        (margin < 0 ? `${round2(-margin)} more than taking ${deck.toUpperCase()} ` : `as good as taking ${deck.toUpperCase()} `) +
        `(best then: drop ${take.drop!.toUpperCase()}, ${play}).`;
}

/** A few lines for a terminal. */
export function decisionText(decision: Decision): string {
  const { take, deck } = decision;
  const describe = (title: string, p: Play) => [
    `${title} (drop ${p.drop!.toUpperCase()}, score ${p.score}${p.complete ? ', going out' : ''}):`,
    ...p.words.map((w) => `  ${w.text.toUpperCase().padEnd(12)} ${upper(w.cards).padEnd(20)} ${w.points} pts`),
    ...(p.unused.length ? [`  unused: ${upper(p.unused)} (-${points(p.unused)} pts)`] : []),
  ];
  const lines = [summarize(decision), ...describe(`Words if you take ${deck.toUpperCase()}`, take)];
  const { longestWord, mostWords } = decision.bonusPlays;
  if (longestWord) lines.push(...describe('For the longest-word bonus', longestWord));
  if (mostWords) lines.push(...describe('For the most-words bonus', mostWords));
  return lines.join('\n');
}
