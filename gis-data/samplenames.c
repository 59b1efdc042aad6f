#include "samplenames.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* clang-format off */
const char *const samplenames_places[SAMPLENAMES_PLACES] = {
    "Bogʻishamol", "Oʻzbekiston", "Navroʻz", "Yangiobod", "Chilonzor", "Oqtepa", "Mirobod",
    "Qoraqamish", "Beshyogʻoch", "Koʻkcha", "Shayxontohur", "Qoʻyliq", "Toshariq", "Olmazor",
    "Yunusobod", "Sebzor", "Chorsu", "Labzak", "Doʻstlik", "Tinchlik", "Istiqlol",
    "Mustaqillik", "Guliston", "Bunyodkor", "Mehnatobod", "Obod", "Nurafshon", "Bahor",
    "Gulbahor", "Oydin", "Yulduz", "Shodlik", "Ziyokor", "Hamkorlik", "Uchtepa", "Qatortol",
    "Kamolon", "Samarqand Darvoza", "Beltepa", "Gʻalaba", "Qoʻrgʻontepa", "Xadra", "Choshtepa",
    "Sagʻbon", "Qorasuv", "Chuqursoy", "Janggoh", "Eski Joʻva", "Oʻrikzor", "Ittifoq",
    "Navbahor", "Yakkasaroy",
};
/* clang-format on */

static const char *const surnames[] = {
    "Karimov", "Rahimov", "Toshmatov", "Yusupov", "Abdullayev", "Ismoilov",
    "Qodirov", "Nazarov", "Xolmatov",  "Saidov",  "Ergashev",   "Mirzayev",
    "Sobirov", "Hasanov", "Usmonov",   "Rasulov", "Joʻrayev",   "Tursunov",
};
static const char *const male_names[] = {
    "Aziz",     "Bekzod", "Dilshod", "Jasur",  "Sherzod", "Otabek", "Farrux",
    "Ulugʻbek", "Sardor", "Jamshid", "Rustam", "Doniyor", "Akmal",  "Sanjar",
};
static const char *const female_names[] = {
    "Dilnoza", "Gulnora", "Nodira", "Malika", "Shahnoza", "Zarina", "Mohira", "Feruza",
};

#define COUNT(a) ((long)(sizeof(a) / sizeof(a)[0]))

void samplenames_person(struct samplerng *r, char *out, size_t n)
{
	int female = samplerng_chance(r, 0.25);
	const char *surname = surnames[samplerng_below(r, COUNT(surnames))];
	const char *first = female ? female_names[samplerng_below(r, COUNT(female_names))]
	                           : male_names[samplerng_below(r, COUNT(male_names))];
	snprintf(out, n, "%s%s %s", surname, female ? "a" : "", first);
}

/* Uzbek Latin to Uzbek Cyrillic. The first row that matches wins: word-initial
 * e (э) before e, digraphs before their letters. */
static const struct translit {
	const char *latin, *lower, *upper;
	int word_start; /* only at the start of a word */
} translit[] = {
    {"e", "э", "Э", 1},  {"oʻ", "ў", "Ў", 0}, {"gʻ", "ғ", "Ғ", 0}, {"sh", "ш", "Ш", 0},
    {"ch", "ч", "Ч", 0}, {"ya", "я", "Я", 0}, {"yo", "ё", "Ё", 0}, {"yu", "ю", "Ю", 0},
    {"ye", "е", "Е", 0}, {"ʼ", "ъ", "Ъ", 0},  {"a", "а", "А", 0},  {"b", "б", "Б", 0},
    {"d", "д", "Д", 0},  {"e", "е", "Е", 0},  {"f", "ф", "Ф", 0},  {"g", "г", "Г", 0},
    {"h", "ҳ", "Ҳ", 0},  {"i", "и", "И", 0},  {"j", "ж", "Ж", 0},  {"k", "к", "К", 0},
    {"l", "л", "Л", 0},  {"m", "м", "М", 0},  {"n", "н", "Н", 0},  {"o", "о", "О", 0},
    {"p", "п", "П", 0},  {"q", "қ", "Қ", 0},  {"r", "р", "Р", 0},  {"s", "с", "С", 0},
    {"t", "т", "Т", 0},  {"u", "у", "У", 0},  {"v", "в", "В", 0},  {"x", "х", "Х", 0},
    {"y", "й", "Й", 0},  {"z", "з", "З", 0},
};

void samplenames_cyrillic(const char *latin, char *out, size_t cap)
{
	size_t n = 0;
	int word_start = 1;
	while (*latin) {
		const struct translit *t = NULL;
		for (size_t i = 0; i < sizeof translit / sizeof translit[0] && !t; i++) {
			const char *l = translit[i].latin;
			if ((!translit[i].word_start || word_start) &&
			    tolower((unsigned char)latin[0]) == (unsigned char)l[0] &&
			    strncmp(latin + 1, l + 1, strlen(l) - 1) == 0)
				t = &translit[i];
		}
		const char *piece = latin;
		size_t len = 1, advance = 1;
		if (t) {
			piece = isupper((unsigned char)latin[0]) ? t->upper : t->lower;
			len = strlen(piece);
			advance = strlen(t->latin);
		}
		if (n + len >= cap)
			break;
		memcpy(out + n, piece, len);
		n += len;
		word_start = *latin == ' ' || *latin == '-';
		latin += advance;
	}
	out[n] = '\0';
}
