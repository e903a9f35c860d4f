/** The languages Jala speaks: English and Bahasa Indonesia. */
export type Language = 'en' | 'id';
