import type { TtsVoice } from "./tts.ts";

/**
 * Voices and words of the room test streams and of synthetic training speech, kept in disjoint
 * sets: the streams measure voices and words a model trained on `TRAIN_SPEECH_*` never heard.
 *
 * Held out (streams, never training): espeak-ng variants of the `standard` evaluation grid and
 * every flite voice (another synthesiser altogether). Training: espeak-ng's named variants that
 * neither evaluation grid (standard, fresh) uses.
 */
export const ROOM_VOICES: TtsVoice[] = [
  { engine: "espeak-ng", voice: "en-us+f3", rate: 160, pitch: 55 },
  { engine: "espeak-ng", voice: "en-gb-scotland+m4", rate: 150 },
  { engine: "espeak-ng", voice: "en-029+f5", rate: 170 },
  { engine: "espeak-ng", voice: "en-gb+m7", rate: 165, pitch: 40 },
  { engine: "flite", voice: "slt", stretch: 1.05 },
  { engine: "flite", voice: "rms", stretch: 1.1 },
  { engine: "flite", voice: "awb" },
  { engine: "espeak-ng", voice: "en-us+f1", rate: 150, pitch: 65 },
];

/** Voices of the synthetic babble (sentences from several of them at once). */
export const BABBLE_VOICES: TtsVoice[] = [
  { engine: "espeak-ng", voice: "en-us+m2", rate: 180 },
  { engine: "espeak-ng", voice: "en-gb+f4", rate: 175 },
  { engine: "espeak-ng", voice: "en-gb-x-rp+m6", rate: 165 },
  { engine: "espeak-ng", voice: "en-029+f2", rate: 185 },
  { engine: "flite", voice: "kal" },
  { engine: "flite", voice: "slt", stretch: 0.9 },
];

/** Remarks said between digits in the room streams: words and short sentences no training list holds. */
export const ROOM_REMARKS = {
  words: ["hello", "okay", "sorry", "coffee", "really", "listen", "perfect", "tuesday", "alright", "hmm", "exactly", "wonderful", "pardon", "umbrella"],
  sentences: [
    "hang on a second",
    "did you get that",
    "let me check my notes",
    "can you repeat the last part",
    "the kettle is boiling",
    "just a moment please",
    "where was I",
    "sorry about that",
    "is the door locked",
    "I think that is right",
  ],
};

/** Sentences the babble talkers say (not digits, not remarks). */
export const BABBLE_TEXT = [
  "the meeting has been moved to the afternoon",
  "she said the report would be ready on friday",
  "we should probably order lunch before it gets busy",
  "have you seen the new schedule for the trains",
  "the weather was lovely at the coast last weekend",
  "I cannot find the charger for my laptop anywhere",
  "they are painting the house across the street",
  "my sister is visiting from the north next month",
  "the shop on the corner closes early on sundays",
  "could you pass me the salt and the pepper",
  "the film was much longer than I expected",
  "he has been learning to play the piano",
  "our team finally won the match yesterday",
  "the garden needs watering after this heat",
];

/** Espeak-ng variants for synthetic training speech (in none of the evaluation grids). */
const TRAIN_VARIANTS = ["adam", "aunty", "benjamin", "boris", "caleb", "ed", "edward", "Gene", "iven", "Jacky", "Lee", "max", "Mike", "paul", "quincy", "rob", "robert", "zac", "Andrea", "Denis", "Hugo", "marcelo", "pablo", "antonio", "gustave", "kaukovalta", "Tweaky"];
const TRAIN_ACCENTS = ["en-us", "en-gb", "en-gb-x-rp", "en-us-nyc"];

/**
 * Training voices: each named variant once, with an accent, rate and pitch picked by index so the
 * list is fixed.
 */
export const TRAIN_SPEECH_VOICES: TtsVoice[] = TRAIN_VARIANTS.map((variant, i) => ({
  engine: "espeak-ng" as const,
  voice: `${TRAIN_ACCENTS[i % TRAIN_ACCENTS.length]}+${variant}`,
  rate: [140, 160, 180, 200][(i * 3) % 4],
  pitch: [30, 45, 60, 75][(i * 5 + 1) % 4],
}));

/** Non-digit words for training rejection (disjoint from the evaluation lists and the remarks). */
export const TRAIN_SPEECH_WORDS = [
  "apple", "house", "car", "dog", "cat", "green", "red", "black", "white", "small", "big", "fast", "slow", "book",
  "paper", "chair", "light", "dark", "night", "day", "sun", "moon", "star", "bread", "cheese", "milk", "hand", "foot",
  "head", "again", "maybe", "never", "always", "hurry", "answer", "question", "problem", "office", "money", "gun",
  "you", "free", "more", "drive", "mix", "eleven", "gate", "mine", "wait", "fire", "thirty", "twenty", "hundred",
  "fifteen", "forty", "sixty", "fifty", "first", "second", "third", "when", "then", "why", "who",
  "where", "what", "which", "how", "yes please", "nope", "yeah", "uh huh", "well", "so", "and", "but", "the",
  "nice", "great", "good", "bad", "fine", "cool", "wow", "oops", "hey", "hi", "bye", "ciao", "thanks a lot", "sure",
  "friday", "monday", "june", "march", "april", "ticket", "train", "phone", "code", "pin", "dial", "enter", "clear",
  "delete", "back", "next", "repeat", "help", "menu", "send", "call", "press", "hash", "star key", "pound", "zone",
  "zebra", "tiger", "lion", "fox", "wolf", "bird", "fish", "snake", "horse", "sheep", "goat", "mouse", "rabbit",
  "summer", "winter", "autumn", "spring", "rain", "snow", "wind", "cloud", "storm", "sky", "sea", "lake", "hill",
  "forest", "road", "bridge", "tower", "castle", "school", "teacher", "student", "lesson", "music box", "guitar",
  "violin", "drum", "song", "dance", "party", "birthday", "present", "letter", "stamp", "box", "bag", "key", "lock",
  "floor", "wall", "roof", "sofa", "bed", "lamp", "clock", "watch", "ring", "chain", "shirt", "hat",
  "coat", "glove", "sock", "spoon", "fork", "knife", "plate", "cup", "glass", "bottle", "sugar", "salt", "pepper",
  "soup", "rice", "meat", "egg", "cake", "honey", "lemon", "cherry", "grape", "melon", "peach", "pear", "potato",
  "tomato", "carrot", "onion", "garlic", "corn", "bean", "nut", "seed", "leaf", "flower", "grass", "rock",
  "sand", "stone", "gold", "silver", "iron", "copper", "paint", "brush", "pen", "ink", "page", "word", "name",
  "number", "zip", "nothing", "none", "someone", "everyone", "nobody", "here", "there", "now", "later", "soon",
  "today", "tonight", "yesterday", "often", "seldom", "hardly", "almost", "enough", "plenty", "twice", "once",
  "fever", "tense", "sieve", "fix", "naughty", "freedom", "shrink", "sever", "tooth",
  "wife", "eighty", "ninety", "fourteen", "sixteen",
];

/** Short sentences for training rejection. */
export const TRAIN_SPEECH_SENTENCES = [
  "send the message now", "I am not sure", "see you tomorrow", "the train is late again", "do you want some water",
  "that sounds like a good idea", "my phone is ringing", "close the window", "it is very cold outside",
  "thank you very much", "where did you put my keys", "I will be there soon", "what is your name", "turn it off",
  "give me a minute", "that is not what I said", "are you still there", "put it on the table", "call me later",
  "I need a break", "let us go home", "not right now", "is that correct", "one moment", "who is speaking",
  "read it again", "the number is wrong", "start over", "go back", "what was that", "I do not know",
  "nice to meet you", "it is raining", "pass the bread", "where is my coat", "we are late", "how much is it",
];

/** How each digit may be said in synthetic training speech; zero also as "oh" (see ROOM `oh`). */
export const DIGIT_SPOKEN: readonly (readonly string[])[] = [["zero", "oh"], ["one"], ["two"], ["three"], ["four"], ["five"], ["six"], ["seven"], ["eight"], ["nine"]];
